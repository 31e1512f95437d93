package client

import (
	"errors"
	"fmt"
	"net/http"
)

// APIError is an answer of atlas other than success, decoded from its error
// envelope {"error_code", "error_message"}. Callers branch on Status; the
// Message is meant for a person.
type APIError struct {
	// Status is the HTTP status code of the answer.
	Status int
	// Code is the envelope's error_code (the status as a string), or empty
	// when the answer carried no envelope (a proxy's error page).
	Code string
	// Message is the envelope's error_message, e.g. "Bad Request: batch_id
	// is required", or the status text when there was no envelope.
	Message string
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("atlas: %d %s", e.Status, e.Message)
}

// Temporary reports whether the same request may succeed later (429, 502,
// 503, 504): what the client retries by itself.
func (e *APIError) Temporary() bool { return retryableStatus(e.Status) }

// ErrIncomplete is returned by the pagers when a walk over a batch's
// extracts could not see every document exactly once: the total changed
// during the walk, a page came back short, or a document appeared twice.
// The walk is then not trustworthy and should be started again.
var ErrIncomplete = errors.New("atlas: extracts walk incomplete")

// IsStatus reports whether err is (or wraps) an *APIError with the given
// HTTP status.
func IsStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == status
}

// retryableStatus says which statuses mean "try again later".
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
