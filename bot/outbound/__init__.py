"""Messages that answer no inbound message, through the outbox: the body contract of an Outbox row, what a sender
is given and gives back, the drain core, announcements and booking messages. Below the service and the channels."""
