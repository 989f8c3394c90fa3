// What both readers share: their settings from the environment, the key of a session's
// message list (shared-model's RedisKeys: PREFIX:{CODE}:SID:msgs), the page size, and
// starting as one process or as a cluster of PEER_WORKERS processes on one port.
//   PEER_PORT        the HTTP port (loopback only)
//   REDIS_URL        e.g. redis://127.0.0.1:6379
//   PEER_KEY_PREFIX  the key prefix (history.key-prefix), e.g. sh
//   PEER_SESSION_ID  the session id of every session of the fixture's set L (they share one)
//   PEER_WORKERS     1 (the default): one Node process; N > 1: node:cluster with N workers
'use strict';
const cluster = require('node:cluster');
const { createClient } = require('redis');

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

function setting(name) {
	const value = process.env[name];
	if (!value) {
		throw new Error(`${name} is not set`);
	}
	return value;
}

const settings = {
	port: Number(setting('PEER_PORT')),
	redisUrl: setting('REDIS_URL'),
	prefix: setting('PEER_KEY_PREFIX'),
	sessionId: setting('PEER_SESSION_ID'),
	workers: Number(process.env.PEER_WORKERS || '1'),
};

/** The message list of a session, or null for a code the API would refuse. */
function messagesKey(code) {
	return CODE.test(code) ? `${settings.prefix}:{${code}}:${settings.sessionId}:msgs` : null;
}

/** ?limit=N as the API reads it: 1 to 1000, 100 when absent. */
function pageLimit(text) {
	const limit = text === undefined ? 100 : Number.parseInt(text, 10);
	return Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : null;
}

/**
 * Runs start(redis) in this process, or in each of PEER_WORKERS cluster workers; start
 * listens on settings.port and resolves once it does. Prints "listening" when ready.
 */
async function serve(start) {
	if (settings.workers > 1 && cluster.isPrimary) {
		let ready = 0;
		for (let i = 0; i < settings.workers; i++) {
			cluster.fork().on('message', (message) => {
				if (message === 'listening' && ++ready === settings.workers) {
					console.log(`listening on ${settings.port} (${settings.workers} workers)`);
				}
			});
		}
		cluster.on('exit', (worker, code) => {
			console.error(`worker ${worker.process.pid} exited (${code})`);
			process.exit(1);
		});
		return;
	}
	const redis = createClient({ url: settings.redisUrl });
	redis.on('error', (error) => console.error('redis:', error.message));
	await redis.connect();
	await start(redis);
	if (cluster.isWorker) {
		process.send('listening');
	} else {
		console.log(`listening on ${settings.port} (1 process)`);
	}
}

module.exports = { settings, messagesKey, pageLimit, serve };
