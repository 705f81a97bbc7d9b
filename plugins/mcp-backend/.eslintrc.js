module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Table-driven tests assert through the shared expect* helpers.
    'jest/expect-expect': ['warn', { assertFunctionNames: ['expect*'] }],
  },
});
