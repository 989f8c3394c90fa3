// The original Express reader, as the design this project replaces served the live history:
// LLEN and LRANGE of the last N entries of the session's message list, JSON.parse of each
// entry, and res.json of the page. See peer.js for its settings.
'use strict';
const express = require('express');
const { settings, messagesKey, pageLimit, serve } = require('./peer');

serve(async (redis) => {
	const app = express();
	app.disable('x-powered-by');
	app.get('/sessions/:code/history', async (req, res) => {
		const key = messagesKey(req.params.code);
		const limit = pageLimit(req.query.limit);
		if (key === null || limit === null) {
			res.status(400).json({ error: 'invalid code or limit' });
			return;
		}
		const total = await redis.lLen(key);
		if (total === 0) {
			res.status(404).json({ error: 'no such live session' });
			return;
		}
		const entries = await redis.lRange(key, -limit, -1);
		const messages = entries.map((entry) => JSON.parse(entry));
		res.json({
			code: req.params.code,
			sessionId: settings.sessionId,
			source: 'live',
			status: 'live',
			total,
			hasMore: total > messages.length,
			messages,
		});
	});
	await new Promise((resolve) => app.listen(settings.port, '127.0.0.1', resolve));
});
