"""The service's desks: the database side of one domain's effects, run by bot.service inside the turn's transaction
(a booking, a phone call, outbound consents). They import runtime, flows, content, outbound, handoff and storage;
never the service or the channels."""
