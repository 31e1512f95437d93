package store

import (
	"encoding/json"
	"time"
)

// Flow is one loan application's documents, cross-checked together.
type Flow struct {
	ID                  string
	ClientID            string
	ProductType         string
	ApplicationID       string
	ExternalReferenceID string
	CallbackURL         string
	AuthURL             string
	// Params is the client's free-form flow_params object, echoed in
	// callbacks and compared with the documents.
	Params json.RawMessage
	// CrossChecks is the JSON array of the last cross-check run; nil
	// before the first.
	CrossChecks json.RawMessage
	// CrossChecksDocs is how many of the flow's documents were finished
	// when CrossChecks ran: fewer than are finished now means a run is due.
	CrossChecksDocs int
	CrossChecksAt   time.Time
	CreatedAt       time.Time
	// ClosedAt is when the flow was submitted with close_flow=yes; zero
	// while it is open.
	ClosedAt time.Time
}

// Closed reports whether the flow refuses further uploads.
func (f *Flow) Closed() bool { return !f.ClosedAt.IsZero() }

// Callback statuses.
const (
	CallbackPending   = "pending"
	CallbackDelivered = "delivered"
	CallbackFailed    = "failed" // gave up after the last attempt
)

// Callback is one signed POST to a flow's callback URL. Its ID is the
// receiver's de-duplication key: every attempt carries it.
type Callback struct {
	ID       string
	ClientID string
	FlowID   string
	// Event is what happened: document.processed, document.failed or
	// flow.cross_checks_completed.
	Event    string
	FileUUID string // the document, for document events
	URL      string
	// AuthURL is the flow's auth_url (from the flow, not stored twice):
	// a token is obtained there before each delivery when it is set.
	AuthURL     string
	Body        []byte
	Status      string
	Attempts    int
	CreatedAt   time.Time
	DeliveredAt time.Time
	// History is filled by ListCallbacks: every attempt, oldest first.
	History []CallbackAttempt
}

// CallbackAttempt is one try at delivering a callback.
type CallbackAttempt struct {
	CallbackID string
	Attempt    int
	At         time.Time
	// StatusCode is what the receiver answered; 0 when it could not be
	// reached.
	StatusCode int
	// Error says why the attempt failed (no receiver's body, no secrets).
	Error    string
	Duration time.Duration
}
