'use strict';

// ${{ values.name }}: ${{ values.description or "Node.js service" }}
// Owner: ${{ values.owner }}

const http = require('node:http');

const SERVICE_NAME = '${{ values.name }}';
const port = Number(process.env.PORT || 3000);

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', service: SERVICE_NAME }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from ${SERVICE_NAME}\n`);
});

server.listen(port, () => {
  console.log(`${SERVICE_NAME} listening on port ${port}`);
});
