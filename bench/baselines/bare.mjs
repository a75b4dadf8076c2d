// Baseline for start-up: a bare Node.js child that reports as soon as it runs.
process.send('ready');
