package backend

// News is what a subscriber hears about deliveries; kinds combine (NewsCaptured|NewsDecoded).
type News uint8

const (
	// NewsCaptured: deliveries were stored (captured by the receiver, or imported).
	NewsCaptured News = 1 << iota
	// NewsDecoded: deliveries' events were written (decoded, or decoded again).
	NewsDecoded
)

// Subscription receives the ids of deliveries with the news it subscribed to. Wait on C, then
// call Take.
type Subscription interface {
	// C receives a value when ids are waiting to be taken.
	C() <-chan struct{}
	// Take returns the ids gathered since the last call, oldest first, without duplicates.
	Take() []string
	// Close stops the subscription.
	Close()
}

// Notifier tells subscribers which deliveries changed.
type Notifier interface {
	// Subscribe returns a subscription to the deliveries with news of the kinds in news; Close
	// it when done.
	Subscribe(news News) Subscription
}
