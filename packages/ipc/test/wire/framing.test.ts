import { FrameDecoder, FrameError, encodeFrame, frameHeader, readJson } from '../../src/index.js';

describe('FrameDecoder', () => {
  it('splits a stream into frames whatever the chunk boundaries', () => {
    const frames = [encodeFrame(1, Buffer.from('alpha')), encodeFrame(2, Buffer.alloc(0)), encodeFrame(3, Buffer.from('x'.repeat(1000)))];
    const stream = Buffer.concat(frames);
    for (const chunkSize of [1, 2, 3, 7, 64, stream.length]) {
      const decoder = new FrameDecoder();
      const seen: Array<[number, string]> = [];
      for (let offset = 0; offset < stream.length; offset += chunkSize) {
        for (const frame of decoder.push(stream.subarray(offset, offset + chunkSize))) {
          seen.push([frame.type, frame.body.toString()]);
        }
      }
      expect(seen).toEqual([
        [1, 'alpha'],
        [2, ''],
        [3, 'x'.repeat(1000)],
      ]);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('rejects a frame longer than the limit', () => {
    const decoder = new FrameDecoder(100);
    const header = frameHeader(1, 200);
    expect(() => decoder.push(header)).toThrow(FrameError);
    try {
      new FrameDecoder(100).push(header);
    } catch (error) {
      expect((error as FrameError).code).toBe('ERR_FRAME_TOO_LARGE');
    }
  });

  it('rejects a zero-length frame', () => {
    expect(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 0]))).toThrow(/length 0/);
  });

  it('checks the length as soon as the header is complete, before the body arrives', () => {
    const decoder = new FrameDecoder(10);
    expect(decoder.push(Buffer.from([0, 0]))).toEqual([]);
    expect(() => decoder.push(Buffer.from([1, 0]))).toThrow(/over the limit/);
  });
});

describe('readJson', () => {
  it('parses the JSON body of a control frame, UTF-8 included', () => {
    const message = { state: 'ready', credits: 3, writer: "producer 'café'" };
    const [frame] = new FrameDecoder().push(encodeFrame(2, Buffer.from(JSON.stringify(message), 'utf8')));
    expect(readJson<typeof message>(frame!)).toEqual(message);
  });

  it('throws on a body that is not JSON', () => {
    const [frame] = new FrameDecoder().push(encodeFrame(2, Buffer.from('{not json', 'utf8')));
    expect(() => readJson(frame!)).toThrow(SyntaxError);
  });
});

describe('FrameDecoder with a first-frame limit', () => {
  it('holds the first frame to the lower limit, then allows the full one', () => {
    const first = encodeFrame(1, Buffer.from('x'.repeat(50)));
    const second = encodeFrame(2, Buffer.from('y'.repeat(500)));
    const decoder = new FrameDecoder(1_000_000, 100);
    const frames = decoder.push(Buffer.concat([first, second]));
    expect(frames.map((frame) => [frame.type, frame.body.length])).toEqual([
      [1, 50],
      [2, 500],
    ]);
  });

  it('refuses a first frame over the lower limit as soon as its length arrives', () => {
    const decoder = new FrameDecoder(1_000_000, 100);
    expect(() => decoder.push(frameHeader(1, 500))).toThrow(/over the limit of a first frame of 100 bytes/);
  });
});
