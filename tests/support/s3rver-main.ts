import S3rver from 's3rver';

/**
 * Runs s3rver (an S3-compatible server) in a process of its own, so that a
 * test that blocks its own event loop (e.g. ffmpeg run with spawnSync,
 * reading through the Peerwatch server from the bucket) cannot stall it.
 * Env: S3RVER_DIR (where objects go), S3RVER_BUCKET, S3RVER_LOG (log
 * requests). Prints `{"msg":"listening","port":N}` once it serves (the line
 * `spawnListening` waits for).
 */
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: !process.env.S3RVER_LOG,
  directory: process.env.S3RVER_DIR!,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET!, configs: [] }],
});
const { port } = (await server.run()) as unknown as { port: number };
console.log(JSON.stringify({ msg: 'listening', port }));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
