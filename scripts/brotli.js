// Writes a brotli copy (FILE.br, best compression) beside each file named on the command line, with
// Node's own zlib: no brotli tool needs installing.
const fs = require('node:fs');
const zlib = require('node:zlib');

for (const file of process.argv.slice(2)) {
  const bytes = fs.readFileSync(file);
  const params = {
    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
  };
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, { params }));
}
