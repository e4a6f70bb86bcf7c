package livechat

import "hooklens/backend/decode"

var (
	priorities = []string{"first", "normal", "last", "supervisor"}
	weekdays   = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)

// config declares a configuration action (webhooks added in v3.4 unless sinceV says otherwise).
func config(name, sinceV, desc string, fields ...[]decode.Field) decode.EventType {
	e := ev(name, "configuration", desc, fields...)
	e.Since = sinceV
	return e
}

// groupsField is the groups[] list of an agent or bot.
func groupsField() []decode.Field {
	return []decode.Field{
		f("groups", "array", "Groups the agent belongs to, with the agent's priority in each."),
		f("groups[]", "object", "One group membership."),
		f("groups[].id", "integer", "Group ID.", required),
		f("groups[].priority", "string", "How chats of this group are routed to the agent: first, normal, last; supervisor only watches.", oneOf(priorities...)),
	}
}

// scheduleFields is the work_scheduler of an agent or bot.
func scheduleFields() []decode.Field {
	return []decode.Field{
		f("work_scheduler", "object", "When the agent works; outside these hours chats are not routed to them."),
		f("work_scheduler.timezone", "string", "Time zone of the schedule (IANA name).", since("3.5")),
		f("work_scheduler.schedule", "array", "Working periods; a day may have several.", since("3.5")),
		f("work_scheduler.schedule[]", "object", "One working period.", since("3.5")),
		f("work_scheduler.schedule[].day", "string", "Day of the week.", oneOf(weekdays...), since("3.5")),
		f("work_scheduler.schedule[].enabled", "boolean", "Whether the period applies.", since("3.5")),
		f("work_scheduler.schedule[].start", "string", "Start time (HH:MM).", since("3.5")),
		f("work_scheduler.schedule[].end", "string", "End time (HH:MM).", since("3.5")),
		// Before 3.5 the schedule was keyed by day name, one period per day.
		f("work_scheduler.*", "object", "One day of the week (3.4 shape: the day's name is the key) and its working hours.", until("3.4")),
		f("work_scheduler.*.start", "string", "Start time (HH:MM) of that day (3.4 shape).", until("3.4")),
		f("work_scheduler.*.end", "string", "End time (HH:MM) of that day (3.4 shape).", until("3.4")),
	}
}

// agentFields is the Agent configuration structure (in full for agent_created, partly for agent_updated).
func agentFields() []decode.Field {
	return concat([]decode.Field{
		f("id", "string", "The agent's ID: their login email.", required),
		f("name", "string", "Display name."),
		f("role", "string", "Permissions level.", oneOf("owner", "viceowner", "administrator", "normal")),
		f("avatar", "string", "URL of the agent's picture.", format("uri")),
		f("job_title", "string", "Job title shown to customers."),
		f("mobile", "string", "Phone number."),
		f("max_chats_count", "integer", "How many chats may be routed to the agent at once."),
		f("awaiting_approval", "boolean", "Whether the account still waits for approval by an administrator."),
		f("notifications", "array", "Events the agent gets notified about."),
		f("notifications[]", "string", "A notification kind (new_visitor, visitor_is_typing, …)."),
		f("email_subscriptions", "array", "Reports the agent receives by email."),
		f("email_subscriptions[]", "string", "A report kind (weekly_summary, …)."),
	}, groupsField(), scheduleFields())
}

// botFields is the Bot structure.
func botFields() []decode.Field {
	return concat([]decode.Field{
		f("id", "string", "The bot's ID (32 hex characters).", required),
		f("name", "string", "Display name."),
		f("avatar", "string", "URL of the bot's picture.", format("uri")),
		f("job_title", "string", "Job title shown to customers."),
		f("max_chats_count", "integer", "How many chats may be routed to the bot at once."),
		f("default_group_priority", "string", "Priority the bot gets in groups not listed in groups.", oneOf(priorities...)),
		f("timezone", "string", "Time zone of the bot (IANA name)."),
		f("owner_client_id", "string", "Client ID of the application that owns the bot."),
	}, groupsField(), scheduleFields())
}

// groupFields is the Group structure.
func groupFields() []decode.Field {
	return []decode.Field{
		f("id", "integer", "Group ID; group 0 holds every agent.", required),
		f("name", "string", "Group name."),
		f("language_code", "string", "Language of the group's chat widget (ISO 639-1)."),
		f("agent_priorities", "object", "Agents of the group and their routing priority in it: agent ID → priority."),
		f("agent_priorities.*", "string", "The agent's priority in the group.", oneOf(priorities...)),
	}
}

// ruleFields is an auto access rule: which groups get chats matching conditions.
func ruleFields() []decode.Field {
	cond := func(name, what string) []decode.Field {
		return []decode.Field{
			f("conditions."+name, "object", "Match on the "+what+"."),
			f("conditions."+name+".values", "array", "Values to match; any one is enough."),
			f("conditions."+name+".values[]", "object", "One value."),
			f("conditions."+name+".values[].value", "string", "The "+what+" to match."),
			f("conditions."+name+".values[].exact_match", "boolean", "Whether it must match exactly (else it is enough to contain it)."),
		}
	}
	return concat([]decode.Field{
		f("id", "string", "ID of the rule.", required),
		f("description", "string", "What the rule is for, in words."),
		f("access", "object", "Who gets the chats the rule matches."),
		f("access.groups", "array", "Groups given access; 0 means every agent."),
		f("access.groups[]", "integer", "A group ID."),
		f("conditions", "object", "When the rule applies."),
		f("conditions.geolocation", "object", "Match on the customer's location."),
		f("conditions.geolocation.values", "array", "Locations to match; any one is enough."),
		f("conditions.geolocation.values[]", "object", "One location."),
		f("conditions.geolocation.values[].country", "string", "Country name."),
		f("conditions.geolocation.values[].country_code", "string", "Two-letter country code."),
		f("conditions.geolocation.values[].region", "string", "Region or state."),
		f("conditions.geolocation.values[].city", "string", "City."),
		f("next_id", "string", "ID of the rule after this one; rules are checked in order. Empty for the last."),
	}, cond("url", "page address"), cond("domain", "website domain"))
}

// configEvents lists the configuration actions.
func configEvents() []decode.EventType {
	idOnly := func(what string) []decode.Field {
		return []decode.Field{f("payload.id", "string", "ID (email) of the "+what+".", required)}
	}
	rules := concat([]decode.Field{
		f("payload[]", "object", "One changed rule: in full when added, only the changed fields when updated, just the ID when deleted.")},
		under("payload[]", ruleFields()),
		[]decode.Field{f("payload[].status", "string", "What happened to the rule.", required, oneOf("added", "updated", "deleted"))})
	tag := func(full bool) []decode.Field {
		fs := []decode.Field{
			f("payload.name", "string", "Tag name; it is also the tag's ID.", required),
			f("payload.group_ids", "array", "Groups that may use the tag; 0 means every agent."),
			f("payload.group_ids[]", "integer", "A group ID."),
		}
		if full {
			fs = append(fs,
				f("payload.created_at", "string", "When the tag was created (RFC 3339).", format("date-time")),
				f("payload.author_id", "string", "Who created the tag."))
		}
		return fs
	}
	return []decode.EventType{
		config("agent_created", "3.4", "An agent account was created; the payload is the whole agent, empty fields included.", under("payload", agentFields())),
		config("agent_updated", "3.4", "An agent's settings changed; only the changed fields are sent.", under("payload", agentFields())),
		config("agent_approved", "3.4", "An agent's account was approved and can now be used.", idOnly("agent")),
		config("agent_suspended", "3.4", "An agent's account was suspended.", idOnly("agent")),
		config("agent_unsuspended", "3.4", "An agent's account was reactivated after a suspension.", idOnly("agent")),
		func() decode.EventType {
			e := config("agent_deleted", "", "An agent's account was deleted (a configuration webhook from 3.4; before that the agent was named agent_id).",
				[]decode.Field{
					f("payload.agent_id", "string", "ID (email) of the deleted agent, as 3.1–3.3 name it.", required, until("3.3"), renamedTo("payload.id"), format("email")),
					f("payload.id", "string", "ID (email) of the deleted agent.", required, since("3.4"), format("email")),
				})
			return e
		}(),
		config("auto_accesses_updated", "3.5", "Auto access rules (which groups get which chats) changed; the payload lists every rule affected.",
			[]decode.Field{f("payload", "array", "The affected rules.", required)}, rules),
		config("bot_created", "3.4", "A bot was created; the payload is the whole bot, empty fields included.", under("payload", botFields())),
		config("bot_updated", "3.4", "A bot's settings changed; only the changed fields are sent.", under("payload", botFields())),
		config("bot_deleted", "3.4", "A bot was deleted.", []decode.Field{f("payload.id", "string", "ID of the bot.", required)}),
		config("group_created", "3.4", "A group of agents was created; the payload is the whole group.", under("payload", groupFields())),
		config("group_updated", "3.4", "A group changed; only the changed fields are sent.", under("payload", groupFields())),
		config("group_deleted", "3.4", "A group was deleted.", []decode.Field{f("payload.id", "integer", "ID of the group.", required)}),
		config("tag_created", "3.5", "A tag was created; the payload is the whole tag.", tag(true)),
		config("tag_updated", "3.5", "A tag changed.", tag(false)),
		config("tag_deleted", "3.5", "A tag was deleted.", []decode.Field{f("payload.name", "string", "Name of the deleted tag.", required)}),
	}
}

// historicEvents lists actions LiveChat no longer sends; old captures and fixtures carry them.
func historicEvents() []decode.EventType {
	old := func(e decode.EventType, why string) decode.EventType {
		e.Deprecated = why
		return e
	}
	accessFields := []decode.Field{
		f("payload.id", "string", "ID of the chat.", required),
		f("payload.access", "object", "The groups concerned.", required),
		f("payload.access.group_ids", "array", "Group IDs."),
		f("payload.access.group_ids[]", "integer", "A group ID."),
	}
	// The customer sits in payload.customer; older bodies put its fields in the payload itself.
	customer := concat(under("payload", userFields()), under("payload.customer", userFields()), []decode.Field{
		f("payload", "object", "The new customer, or (older bodies) an object holding it.", required),
		f("payload.id", "string", "ID of the new customer (older bodies, where the payload is the customer).")})
	return []decode.EventType{
		old(ev("incoming_customer", "customers", "A new customer registered.", customer), "removed in v3.6"),
		old(ev("chat_access_granted", "access", "Groups were given access to a chat.", accessFields), "merged into chat_access_updated in v3.4"),
		old(ev("chat_access_revoked", "access", "Groups lost access to a chat.", accessFields), "merged into chat_access_updated in v3.4"),
		old(ev("auto_access_added", "configuration", "An auto access rule was added.", under("payload", ruleFields())), "merged into auto_accesses_updated in v3.5"),
		old(ev("auto_access_updated", "configuration", "An auto access rule changed.", under("payload", ruleFields())), "merged into auto_accesses_updated in v3.5"),
		old(ev("auto_access_deleted", "configuration", "An auto access rule was deleted.",
			[]decode.Field{f("payload.id", "string", "ID of the deleted rule.", required)}), "merged into auto_accesses_updated in v3.5"),
	}
}
