package gen

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode/closer"
	"hooklens/backend/decode/iadvize"
	"hooklens/backend/decode/livechat"
)

// Organization ids per vendor, as each shows them.
const (
	lcOrg     = "390e44e6-f1e6-4c68-a6db-74a14508c2e1"
	lcWebhook = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	iaClient  = 335
	iaProject = 3717
	clOrg     = "7c0c5b0e-3f0b-4a4e-9c55-1b2f8e6d4a10"
)

func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func lcTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
func iaTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
func clTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

// message returns one to four sentences of a support conversation.
func (g *Generator) message(customer bool) string {
	pool := agentLines
	if customer {
		pool = customerLines
	}
	n := 1 + g.rng.IntN(4)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pool[g.rng.IntN(len(pool))]
	}
	s := strings.Join(parts, " ")
	return strings.ReplaceAll(s, "#ORDER", fmt.Sprint(10000+g.rng.IntN(90000)))
}

// convEvent is the next event of c: a start when it is new or closed, else mostly messages.
func (g *Generator) convEvent(c *conv, at time.Time) *backend.Delivery {
	occurred := at.Add(-time.Duration(50+g.rng.IntN(400)) * time.Millisecond)
	start := c.step == 0 || c.closed
	c.step++
	r := g.rng.Float64()
	switch c.vendor {
	case livechat.Name:
		return g.livechat(c, start, r, occurred, at)
	case iadvize.Name:
		return g.iadvize(c, start, r, occurred, at)
	default:
		return g.closer(c, start, r, occurred, at)
	}
}

func (g *Generator) lcEnvelope(action, payload, additional string) []byte {
	return []byte(`{"webhook_id":"` + lcWebhook + `","secret_key":"s3cr3t-hooklens","action":"` + action +
		`","organization_id":"` + lcOrg + `","payload":` + payload + `,"additional_data":` + additional + `}`)
}

func (g *Generator) livechat(c *conv, start bool, r float64, occurred, at time.Time) *backend.Delivery {
	ag := &g.agents[c.agent]
	presence := fmt.Sprintf(`{"chat_properties":{"routing":{"continuous":false,"idle":false},"source":{"customer_client_id":"c5e4f61e1a6c3b1521b9a4d42e7ac8b9"}},"chat_presence_user_ids":[%s,%s]}`,
		js(c.customer), js(ag.id))
	var body []byte
	switch {
	case start:
		if c.closed || c.threads > 0 {
			c.thread = g.chatID()
		}
		c.closed = false
		c.threads++
		body = g.lcEnvelope("incoming_chat", fmt.Sprintf(`{"chat":{"id":"%s","users":[{"id":%s,"type":"customer","name":"%s %s","email":"%s","present":true,"created_at":"%s","statistics":{"chats_count":%d,"threads_count":%d,"visits_count":%d},"visit":{"ip":"203.0.113.%d","user_agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36","geolocation":{"country":"Germany","country_code":"DE","city":"Berlin","timezone":"Europe/Berlin"},"started_at":"%s","referrer":"https://www.example.com/blog","last_pages":[{"opened_at":"%s","url":"https://shop.example.com/orders/%d","title":"Your order"}]}},{"id":%s,"type":"agent","name":"%s %s","email":%s,"present":true,"routing_status":"accepting chats","visibility":"all"}],"properties":{"routing":{"continuous":false,"pinned":false},"source":{"client_id":"c6e4f62e2a2dab12531235b12c5a2a6b"}},"access":{"group_ids":[0]},"thread":{"id":"%s","active":true,"user_ids":[%s,%s],"events":[{"id":"%s_1","type":"message","text":%s,"author_id":%s,"created_at":"%s","visibility":"all"}],"properties":{"routing":{"idle":false,"unassigned":false,"start_url":"https://shop.example.com/help"}},"access":{"group_ids":[0]},"tags":[],"created_at":"%s"}}}`,
			c.id, js(c.customer), firstNames[g.rng.IntN(len(firstNames))], lastNames[g.rng.IntN(len(lastNames))],
			"customer"+c.customer[:8]+"@example.net", lcTime(occurred.Add(-time.Minute)), c.threads, c.threads, 1+g.rng.IntN(20),
			1+g.rng.IntN(254), lcTime(occurred.Add(-time.Minute)), lcTime(occurred.Add(-time.Minute)), 10000+g.rng.IntN(90000),
			js(ag.id), ag.first, ag.last, js(ag.id), c.thread, js(c.customer), js(ag.id), c.thread,
			js(g.message(true)), js(c.customer), lcTime(occurred), lcTime(occurred)), presence)
	case r < 0.02:
		to := &g.agents[g.pickAgent(c.vendor)]
		body = g.lcEnvelope("chat_transferred", fmt.Sprintf(`{"chat_id":"%s","thread_id":"%s","requester_id":%s,"reason":"manual","transferred_to":{"group_ids":[19],"agent_ids":[%s]},"queue":{"position":%d,"wait_time":%d,"queued_at_us":"%s"}}`,
			c.id, c.thread, js(ag.id), js(to.id), 1+g.rng.IntN(40), g.rng.IntN(1800), lcTime(occurred)), `{}`)
	case r < 0.035:
		c.closed = true
		body = g.lcEnvelope("chat_deactivated", fmt.Sprintf(`{"chat_id":"%s","thread_id":"%s","user_id":%s}`,
			c.id, c.thread, js(ag.id)), presence)
	case r < 0.05:
		body = g.lcEnvelope("thread_tagged", fmt.Sprintf(`{"chat_id":"%s","thread_id":"%s","tag":"%s"}`,
			c.id, c.thread, tags[g.rng.IntN(len(tags))]), presence)
	default:
		customer := g.rng.IntN(2) == 0
		author := ag.id
		if customer {
			author = c.customer
		}
		body = g.lcEnvelope("incoming_event", fmt.Sprintf(`{"chat_id":"%s","thread_id":"%s","event":{"id":"%s_%d","custom_id":"%x","type":"message","text":%s,"author_id":%s,"created_at":"%s","visibility":"all","properties":{"source":{"client_id":"c5e4f61e1a6c3b1521b9a4d42e7ac8b9"}}}}`,
			c.id, c.thread, c.thread, c.step, g.rng.Uint32(), js(g.message(customer)), js(author), lcTime(occurred)), presence)
	}
	return g.deliver(livechat.Name, "/livechat/webhook", body, at)
}

func (g *Generator) iaEvent(typ, fields string, occurred time.Time) []byte {
	return []byte(fmt.Sprintf(`{"eventId":"%s","eventType":"%s","platform":"ha",%s,"createdAt":"%s","sentAt":"%s"}`,
		g.uuid(), typ, fields, iaTime(occurred), iaTime(occurred.Add(150*time.Millisecond))))
}

// iadvize follows a conversation of iAdvize's current (v2) platform: pushed to an operator at the
// start and at each transfer, survey answers, closed with every operator who took part.
func (g *Generator) iadvize(c *conv, start bool, r float64, occurred, at time.Time) *backend.Delivery {
	ids := fmt.Sprintf(`"projectId":%d,"clientId":%d,"conversationId":"%s"`, iaProject, iaClient, c.id)
	pushed := func() []byte {
		return g.iaEvent("v2.conversation.pushed", fmt.Sprintf(`%s,"operatorId":%s,"visitorExternalId":"%d","channel":"CHAT","visitorId":"%s"`,
			ids, g.agents[c.agent].id, 60000000+g.rng.IntN(9999999), c.customer), occurred)
	}
	var body []byte
	switch {
	case start:
		if c.closed {
			c.id = g.uuid()
			ids = fmt.Sprintf(`"projectId":%d,"clientId":%d,"conversationId":"%s"`, iaProject, iaClient, c.id)
		}
		c.closed, c.threads = false, 1
		body = pushed()
	case r < 0.05:
		c.closed = true
		ops := g.agents[c.agent].id
		if c.threads > 1 {
			ops = g.agents[g.pickAgent(c.vendor)].id + "," + ops
		}
		body = g.iaEvent("v2.conversation.closed", fmt.Sprintf(`%s,"operatorIds":[%s],"visitorExternalId":"%d","channel":"CHAT","visitorId":"%s"`,
			ids, ops, 60000000+g.rng.IntN(9999999), c.customer), occurred)
	case r < 0.15:
		c.agent = g.pickAgent(c.vendor)
		c.threads++
		body = pushed()
	case r < 0.3:
		body = g.iaEvent("satisfaction.answered", fmt.Sprintf(`%s,"customerSatisfaction":%d`, ids, 1+g.rng.IntN(5)), occurred)
	default:
		body = g.iaEvent("visitor.updated", fmt.Sprintf(`"clientId":%d,"operatorId":%s,"visitorId":"%s"`,
			iaClient, g.agents[c.agent].id, c.customer), occurred)
	}
	return g.deliver(iadvize.Name, "/iadvize", body, at)
}

func (g *Generator) clEvent(category, action, event string, occurred time.Time) []byte {
	return []byte(fmt.Sprintf(`{"@timestamp":"%s","message":{"event":{%s},"description":{"kind":"event","category":["%s"],"type":["business_event"],"action":"%s","outcome":"success"},"timestamp":%d}}`,
		clTime(occurred), event, category, action, occurred.UnixMilli()))
}

func (g *Generator) closer(c *conv, start bool, r float64, occurred, at time.Time) *backend.Delivery {
	ag := &g.agents[c.agent]
	room := fmt.Sprintf(`"roomId":"%s","orgId":"%s"`, c.id, clOrg)
	var body []byte
	switch {
	case start && c.closed:
		c.closed = false
		body = g.clEvent("conversation", "reopened", room+`,"customerId":"`+c.customer+`"`, occurred)
	case start:
		body = g.clEvent("conversation", "created", room+`,"guestId":"`+c.customer+`"`, occurred)
	case r < 0.03:
		c.closed = true
		body = g.clEvent("conversation", "closed", room+`,"status":"true","sub_status":"solved"`, occurred)
	case r < 0.06:
		c.agent = g.pickAgent(c.vendor)
		body = g.clEvent("conversation", "assignee_change", room+`,"agentId":"`+g.agents[c.agent].id+`"`, occurred)
	case r < 0.08:
		body = g.clEvent("conversation", "tag_change", room+`,"tags":["`+tags[g.rng.IntN(len(tags))]+`"]`, occurred)
	default:
		author, text := c.customer, g.message(true)
		if g.rng.IntN(2) == 0 {
			author, text = ag.id, g.message(false)
		}
		body = g.clEvent("conversation", "message_sent", room+`,"authorId":"`+author+`","body":`+js(text)+
			`,"messageId":"`+g.uuid()+`"`, occurred)
	}
	return g.deliver(closer.Name, "/closer/webhook", body, at)
}

// agentEvent is a status change, login or logout of a.
func (g *Generator) agentEvent(a *agent, at time.Time) *backend.Delivery {
	occurred := at.Add(-time.Duration(50+g.rng.IntN(400)) * time.Millisecond)
	r := g.rng.IntN(3)
	var body []byte
	switch a.vendor {
	case livechat.Name:
		status := []string{"accepting chats", "not accepting chats", "offline"}[r]
		body = g.lcEnvelope("routing_status_set", fmt.Sprintf(`{"agent_id":%s,"status":"%s"}`, js(a.id), status),
			`{"chat_properties":{},"chat_presence_user_ids":[]}`)
		return g.deliver(livechat.Name, "/livechat/webhook", body, at)
	case iadvize.Name:
		switch r {
		case 0:
			body = g.iaEvent("user.availability.updated", fmt.Sprintf(`"clientId":%d,"userId":%s,"origin":"desk","availabilities":[{"channel":"CHAT","status":"%s"},{"channel":"CALL","status":"UNAVAILABLE"}]`,
				iaClient, a.id, []string{"AVAILABLE", "UNAVAILABLE"}[g.rng.IntN(2)]), occurred)
		case 1:
			body = g.iaEvent("user.connected", fmt.Sprintf(`"clientId":%d,"userId":%s`, iaClient, a.id), occurred)
		default:
			body = g.iaEvent("user.disconnected", fmt.Sprintf(`"clientId":%d,"userId":%s`, iaClient, a.id), occurred)
		}
		return g.deliver(iadvize.Name, "/iadvize", body, at)
	default:
		who := fmt.Sprintf(`"agentId":"%s","orgId":"%s"`, a.id, clOrg)
		switch r {
		case 0:
			body = g.clEvent("agent", "status_change", who+`,"status":"`+[]string{"AVAILABLE", "AWAY", "UNAVAILABLE"}[g.rng.IntN(3)]+`","unavailableReason":""`, occurred)
		case 1:
			body = g.clEvent("agent", "login", who+fmt.Sprintf(`,"firstName":"%s","lastName":"%s","email":"%s.%s@closer-example.com"`,
				a.first, a.last, lower(a.first), lower(a.last)), occurred)
		default:
			body = g.clEvent("agent", "logout", who+fmt.Sprintf(`,"firstName":"%s","lastName":"%s","email":"%s.%s@closer-example.com"`,
				a.first, a.last, lower(a.first), lower(a.last)), occurred)
		}
		return g.deliver(closer.Name, "/closer/webhook", body, at)
	}
}
