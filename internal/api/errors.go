package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// Error is an API failure: the status and the message the client sees,
// and, for the log only, the cause.
type Error struct {
	Status  int
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// errorBody is Atlas's error envelope.
type errorBody struct {
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
}

// category is the prefix Atlas puts before an error message.
func category(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "Payload Too Large"
	case http.StatusUnprocessableEntity:
		return "Unprocessable Entity"
	}
	return http.StatusText(status)
}

// handlerFunc is an HTTP handler that returns its failure; serve maps it
// to a status and Atlas's error body in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) serve(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		var ae *Error
		if !errors.As(err, &ae) {
			ae = &Error{Status: http.StatusInternalServerError, Message: "something went wrong on our side; try again", Err: err}
		}
		if ae.Status >= 500 {
			s.log.Error("request_failed", "method", r.Method, "path", r.URL.Path, "status", ae.Status, "error", err)
		}
		writeError(w, ae.Status, ae.Message)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{ErrorCode: strconv.Itoa(status), ErrorMessage: category(status) + ": " + msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write_response_failed", "error", err)
	}
}

// decodeStrict decodes one JSON value from body into v, refusing unknown
// fields (typos are caught) and trailing data; what names the request in
// the error.
func decodeStrict(body []byte, what string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errorf(http.StatusBadRequest, "the body is not a valid %s request: %s", what, jsonProblem(err))
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "the body holds more than one JSON value")
	}
	return nil
}

// problems collects up to ten things wrong with a request, so one answer
// names them all.
type problems []string

func (p *problems) add(format string, args ...any) {
	if len(*p) < maxListedProblems {
		*p = append(*p, fmt.Sprintf(format, args...))
	}
}

// err is a 400 naming every problem, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return errorf(http.StatusBadRequest, "%s", strings.Join(p, "; "))
}
