package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"hooklens/backend"
)

type scanner interface{ Scan(dest ...any) error }

// scanView reads one row of listColumns (plus extra destinations) into a view; it returns the seq.
func scanView(sc scanner, extra ...any) (*backend.DeliveryView, int64, error) {
	var (
		v                                       backend.DeliveryView
		seq, received                           int64
		version, occurred, documented           sql.NullInt64
		vendor, typ, org, conv, thread, summary sql.NullString
		verification, reason, flags, actors     sql.NullString
		dedupe                                  sql.NullInt64
		status, statusOf, dupOf                 sql.NullString
		apiVersion, versionInfo                 sql.NullString
		attempts                                sql.NullInt64
	)
	d := &v.Delivery
	dest := []any{&seq, &d.ID, &received, &d.Method, &d.Path, &d.Query, &d.Size, &d.ContentType,
		&d.RemoteAddr, &d.ForwardedFor, &d.ForwardedProto, &d.ForwardedHost, &d.ConnectingIP, &d.Refused,
		&d.Status, &d.Source, &d.Hidden,
		&version, &vendor, &typ, &occurred, &org, &conv, &thread,
		&summary, &documented, &verification, &reason, &flags, &actors, &dedupe,
		&status, &statusOf, &apiVersion, &versionInfo, &dupOf, &attempts}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, 0, err
	}
	d.ReceivedAt = fromMicros(received)
	v.DuplicateOf = dupOf.String
	v.Attempts = int(attempts.Int64)
	if version.Valid {
		ev := &backend.Event{
			DeliveryID:   d.ID,
			Vendor:       vendor.String,
			EventType:    typ.String,
			Organization: org.String,
			Summary:      summary.String,
			Documented:   documented.Int64 != 0,
			Verification: backend.Verification{Status: verification.String, Reason: reason.String},
			Status:       status.String,
			StatusOf:     statusOf.String,
			APIVersion:   apiVersion.String,
		}
		decodeVersionInfo(versionInfo.String, ev)
		if dedupe.Int64 != 0 {
			ev.DedupeKey = fmt.Sprintf("%016x", uint64(dedupe.Int64))
		}
		if occurred.Valid {
			t := fromMicros(occurred.Int64)
			ev.OccurredAt = &t
		}
		if conv.String != "" {
			ev.Conversation = &backend.ConversationRef{ID: conv.String, ThreadID: thread.String}
		}
		_ = json.Unmarshal([]byte(flags.String), &ev.Flags)
		ev.Actors = decodeActors(actors.String)
		if ev.Flags == nil {
			ev.Flags = []backend.Flag{}
		}
		if ev.Actors == nil {
			ev.Actors = []backend.Actor{}
		}
		v.Event = ev
	}
	return &v, seq, nil
}
