package loadgen

import (
	"bytes"
	"fmt"
)

// incomingEvent is a LiveChat incoming_event webhook (a customer message with properties), about
// 2 KB as LiveChat sends it; NNNNNNNNNNNN is replaced by the request number so every request is a
// distinct event, CCCCCCCCCC by a chat id.
const incomingEvent = `{"webhook_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","secret_key":"s3cr3t-hooklens",` +
	`"action":"incoming_event","organization_id":"390e44e6-f1e6-0368c-z6ddb-74g14508c2ex",` +
	`"payload":{"chat_id":"CCCCCCCCCC","thread_id":"K600PKZON8","event":{"id":"K600PKZON8_NNNNNNNNNNNN",` +
	`"custom_id":"4f1c2a7b-NNNNNNNNNNNN","type":"message","text":"Hello, I ordered a blue jacket ` +
	`(order #1234) last week and the tracking page still says \"processing\". I paid for express ` +
	`shipping because I need it before Friday for a trip, and I already wrote to your support address ` +
	`twice without an answer. Could you check with the warehouse what is going on, tell me whether ` +
	`the parcel has left, and if it has not, cancel the express fee or send a replacement from ` +
	`another store? My order was placed with the account jane.doe@example.com and the delivery ` +
	`address is 12 Rue des Lilas, 75011 Paris. Thank you!","author_id":"b7eff798-f8df-4364-8059-649c35c9ed0c",` +
	`"created_at":"2019-12-09T12:01:18.909000Z","visibility":"all","properties":{"source":` +
	`{"client_id":"c5e4f61e1a6c3b1521b9a4d42e7ac8b9"},"routing":{"group_id":"19","campaign":"winter-sale"}}}},` +
	`"additional_data":{"chat_properties":{"routing":{"continuous":false,"idle":false,"referrer":` +
	`"https://shop.example.com/orders/1234","start_url":"https://shop.example.com/help/contact",` +
	`"last_visit_page":"https://shop.example.com/orders/1234/tracking"},"source":{"customer_client_id":` +
	`"c5e4f61e1a6c3b1521b9a4d42e7ac8b9"},"supervising":{"agent_ids":"smith@example.com"},` +
	`"custom":{"order_id":"1234","order_status":"processing","shipping":"express","cart_value":"129.90",` +
	`"currency":"EUR","customer_tier":"gold","locale":"fr-FR","utm_source":"newsletter","utm_campaign":` +
	`"winter-sale-2019","ab_test":"checkout-v2","app_version":"5.14.2","device":"desktop",` +
	`"last_order_url":"https://shop.example.com/account/orders/1234?tab=tracking&ref=chat-widget"}},` +
	`"chat_presence_user_ids":["b7eff798-f8df-4364-8059-649c35c9ed0c","smith@example.com",` +
	`"5c9871d5372c824cbf22d860a707a578"]}}`

// Template is a request whose body carries a 12-digit request number and a chat id.
type Template struct {
	buf   []byte
	nums  []int // offsets of NNNNNNNNNNNN
	chats []int // offsets of CCCCCCCCCC
}

// NewTemplate builds the POST request to path on host.
func NewTemplate(host, path string) *Template {
	body := incomingEvent
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: LiveChat-Webhooks/3.5\r\n"+
		"Content-Type: application/json\r\nAccept-Encoding: gzip\r\nX-Forwarded-For: 34.107.22.14\r\n"+
		"X-Forwarded-Proto: https\r\nContent-Length: %d\r\n\r\n", path, host, len(body))
	t := &Template{buf: []byte(head + body)}
	t.nums = offsets(t.buf, "NNNNNNNNNNNN")
	t.chats = offsets(t.buf, "CCCCCCCCCC")
	return t
}

func offsets(b []byte, marker string) []int {
	var out []int
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(marker))
		if j < 0 {
			return out
		}
		out = append(out, i+j)
		i += j + len(marker)
	}
}

func (t *Template) clone() *Template {
	c := *t
	c.buf = bytes.Clone(t.buf)
	return &c
}

// Bytes returns the request as it is sent.
func (t *Template) Bytes() []byte { return t.buf }

// Number writes n into the request: the event id, and a chat id (1,000 chats in turn).
func (t *Template) Number(n int64) {
	var digits, chat [12]byte
	fill(digits[:], n)
	copy(chat[:], "PJ")
	fill(chat[2:10], n%1000)
	for _, o := range t.nums {
		copy(t.buf[o:], digits[:])
	}
	for _, o := range t.chats {
		copy(t.buf[o:], chat[:10])
	}
}

// fill writes n in decimal into b, zero-padded to its length.
func fill(b []byte, n int64) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

// BodySize returns the size of the request body.
func BodySize() int { return len(incomingEvent) }
