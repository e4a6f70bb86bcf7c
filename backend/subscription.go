package backend

// Subscription receives the ids of deliveries that were added or re-decoded. Wait on C, then
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
	// Subscribe returns a subscription to changed deliveries; Close it when done.
	Subscribe() Subscription
}
