package iadvize

// EventTypePath names the body field that holds the event type (decode.Discriminator).
func (vendor) EventTypePath() string { return "eventType" }
