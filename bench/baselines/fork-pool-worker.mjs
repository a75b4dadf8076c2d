// The hand-written fork pool's child: answers each array of items with the array of their seqs.
process.on('message', (items) => process.send(items.map((item) => item.seq)));
process.send('ready');
