import Button from '@material-ui/core/Button';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import { useEffect, useState } from 'react';

/**
 * Copies `text` to the clipboard. The label names what is copied, for screen
 * readers and for people scanning several copy buttons; the result is
 * announced in a live region.
 */
export const CopyButton = (props: { text: string; label: string }) => {
  const { text, label } = props;
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (status === 'idle') return undefined;
    const timer = setTimeout(() => setStatus('idle'), 4000);
    return () => clearTimeout(timer);
  }, [status]);

  const copy = async () => {
    try {
      await window.navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        size="small"
        startIcon={<FileCopyIcon />}
        onClick={copy}
        aria-label={label}
      >
        Copy
      </Button>
      <span role="status" aria-live="polite" style={{ marginLeft: 8 }}>
        {status === 'copied' && 'Copied'}
        {status === 'failed' &&
          'Could not copy: select the text and copy it by hand'}
      </span>
    </>
  );
};
