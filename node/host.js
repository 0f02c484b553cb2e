// What the Node CLI's wasm module asks of Node (src/cli/host.rs): synchronous file calls that
// throw Node's own errors (the module reads their `code`), stdout and stderr, the clock.
const fs = require('node:fs');

const KIND = (stats) =>
  stats.isFile() ? 0 : stats.isDirectory() ? 1 : stats.isFIFO() ? 2 : stats.isSocket() ? 3
    : stats.isCharacterDevice() || stats.isBlockDevice() ? 4 : stats.isSymbolicLink() ? 5 : 6;

function out(fd, text) {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += fs.writeSync(fd, bytes, at);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

module.exports = {
  out,
  now_ms: () => Date.now(),
  pid: () => process.pid,
  stat: (path, follow) => {
    const s = follow ? fs.statSync(path) : fs.lstatSync(path);
    return new Float64Array([KIND(s), s.size]);
  },
  fstat: (fd) => {
    const s = fs.fstatSync(fd);
    return new Float64Array([KIND(s), s.size]);
  },
  open: (path, flags) => fs.openSync(path, flags),
  read: (fd, max) => {
    const buffer = Buffer.allocUnsafe(max);
    const n = fs.readSync(fd, buffer, 0, max, null);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, n);
  },
  write: (fd, bytes) => fs.writeSync(fd, bytes),
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (path) => fs.unlinkSync(path),
  link: (from, to) => fs.linkSync(from, to),
  mkdirp: (path) => {
    fs.mkdirSync(path, { recursive: true });
  },
  readdir: (path) => fs.readdirSync(path),
  realpath: (path) => fs.realpathSync(path),
};
