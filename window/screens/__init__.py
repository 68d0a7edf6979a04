"""One small module per screen the chat can show besides the transcript (as Rocket.Chat Livechat's routes), each
imported the first time its state comes: the start-up path loads none of them (or their models)."""
