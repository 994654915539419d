console.log('hello from', process.version);
