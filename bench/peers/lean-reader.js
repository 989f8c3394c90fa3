// A lean Node reader of the live history: Fastify and one LRANGE of the last N entries of
// the session's message list, written as they are stored, joined into a JSON array (no
// parsing, no envelope). See peer.js for its settings.
'use strict';
const fastify = require('fastify');
const { settings, messagesKey, pageLimit, serve } = require('./peer');

serve(async (redis) => {
	const app = fastify({ logger: false });
	app.get('/sessions/:code/history', async (request, reply) => {
		const key = messagesKey(request.params.code);
		const limit = pageLimit(request.query.limit);
		if (key === null || limit === null) {
			return reply.code(400).send({ error: 'invalid code or limit' });
		}
		const entries = await redis.lRange(key, -limit, -1);
		if (entries.length === 0) {
			return reply.code(404).send({ error: 'no such live session' });
		}
		return reply.type('application/json').send('[' + entries.join(',') + ']');
	});
	await app.listen({ port: settings.port, host: '127.0.0.1' });
});
