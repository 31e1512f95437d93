package callback

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/atlas-oss/atlas/internal/store"
)

// DeliverArgs is the job that delivers one callback.
type DeliverArgs struct {
	CallbackID string `json:"callback_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "deliver_callback" }

// InsertOpts gives every callback job MaxAttempts, even when inserted
// without options.
func (DeliverArgs) InsertOpts() river.InsertOpts { return *InsertOpts() }

// Retry schedule defaults.
const (
	// MaxAttempts is how often a callback is tried before it is marked
	// failed. With the default delays (30 s doubling, capped at 1 h) the
	// waits after attempts 1 to 7 are 30 s, 1, 2, 4, 8, 16 and 32 min
	// (63.5 min together), then 1 h after each of attempts 8 to 19: the
	// last attempt comes about 13 h after the first (up to 10% later with
	// jitter), which covers a receiver's overnight outage.
	MaxAttempts = 20
	// DefaultBaseDelay is the wait before the second attempt.
	DefaultBaseDelay = 30 * time.Second
	// DefaultMaxDelay caps one wait.
	DefaultMaxDelay = time.Hour

	// recordTimeout bounds recording an attempt after the job's own
	// context has ended (a timed-out attempt is still recorded).
	recordTimeout = 10 * time.Second
)

// InsertOpts returns the options a callback job is inserted with.
func InsertOpts() *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: MaxAttempts}
}

// Store is what the worker needs of the store. GetFlow gives the
// application id a token request carries.
type Store interface {
	GetCallback(ctx context.Context, id string) (*store.Callback, error)
	GetFlow(ctx context.Context, clientID, id string) (*store.Flow, error)
	RecordCallbackAttempt(ctx context.Context, a store.CallbackAttempt, status string) error
	CallbackSecret(ctx context.Context, clientID string) (string, error)
}

var _ Store = (*store.SQLite)(nil)

// Worker is River's worker for DeliverArgs. It is generic over the
// driver, like the document worker, so it runs on SQLite and PostgreSQL.
type Worker[TDriver riverdriver.Driver[TTx], TTx any] struct {
	river.WorkerDefaults[DeliverArgs]
	Store  Store
	Client *Client
	// Log gets one line per attempt: ids, attempt, status code and the
	// client-safe error, never a body, token, secret or URL query.
	Log *slog.Logger
	// BaseDelay is the wait before the second attempt; it doubles for
	// each further one. Default DefaultBaseDelay.
	BaseDelay time.Duration
	// MaxDelay caps one wait. Default DefaultMaxDelay.
	MaxDelay time.Duration
	// Attempted, when set, is told each recorded attempt's event and the
	// callback's status after it (for metrics).
	Attempted func(event, status string)
}

// Timeout tells River how long one attempt may take: a token request and
// a delivery, each bounded by the client's timeout, and recording it.
func (w *Worker[TDriver, TTx]) Timeout(*river.Job[DeliverArgs]) time.Duration {
	timeout := DefaultTimeout
	if w.Client != nil {
		timeout = w.Client.timeout
	}
	return 2*timeout + recordTimeout
}

// NextRetry tells River when to try again: BaseDelay × 2^(attempt−1),
// capped at MaxDelay, plus up to 10% jitter so receivers coming back from
// an outage are not hit by every callback at once.
func (w *Worker[TDriver, TTx]) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	d := w.backoff(job.Attempt)
	return time.Now().Add(d + time.Duration(rand.Int64N(int64(d/10)+1)))
}

// backoff is the wait after attempt n, without jitter.
func (w *Worker[TDriver, TTx]) backoff(attempt int) time.Duration {
	base, limit := w.delays()
	d := base
	for range max(attempt-1, 0) {
		if d >= limit {
			break
		}
		d *= 2
	}
	return min(d, limit)
}

func (w *Worker[TDriver, TTx]) delays() (base, limit time.Duration) {
	base = cmp.Or(max(w.BaseDelay, 0), DefaultBaseDelay)
	limit = cmp.Or(max(w.MaxDelay, 0), DefaultMaxDelay)
	return base, max(limit, base)
}

func (w *Worker[TDriver, TTx]) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

// Work makes one attempt at a callback and records it. It returns an
// error while the callback is not delivered, so River retries it; on the
// last attempt the callback is marked failed. A callback already
// delivered (by an attempt whose record River never heard of) is not
// sent again; should recording a delivery fail, the receiver may get it
// twice and de-duplicates on its id.
func (w *Worker[TDriver, TTx]) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	log := w.log().With("callback_id", job.Args.CallbackID, "attempt", job.Attempt)
	cb, err := w.Store.GetCallback(ctx, job.Args.CallbackID)
	if errors.Is(err, store.ErrNotFound) {
		log.Warn("callback_gone") // its flow was deleted
		return nil
	}
	if err != nil {
		return fmt.Errorf("deliver callback: %w", err)
	}
	if cb.Status == store.CallbackDelivered {
		return nil
	}
	log = log.With("flow_id", cb.FlowID, "event", cb.Event)
	secret, err := w.Store.CallbackSecret(ctx, cb.ClientID)
	if err != nil {
		return fmt.Errorf("deliver callback: %w", err)
	}

	var tokenReq *TokenRequest
	if cb.AuthURL != "" {
		f, err := w.Store.GetFlow(ctx, cb.ClientID, cb.FlowID)
		if err != nil {
			return fmt.Errorf("deliver callback: %w", err)
		}
		tokenReq = &TokenRequest{ClientID: cb.ClientID, FlowID: cb.FlowID, ApplicationID: f.ApplicationID}
	}

	res := w.attempt(ctx, cb, []byte(secret), tokenReq)
	if !res.Delivered && errors.Is(ctx.Err(), context.Canceled) {
		// River is stopping (or the job was cancelled): not the
		// receiver's failure. River runs a stopped job's attempt again
		// without counting it, so record nothing, least of all "failed".
		return fmt.Errorf("deliver callback: %w", ctx.Err())
	}
	last := job.Attempt >= job.MaxAttempts
	status := store.CallbackPending
	switch {
	case res.Delivered:
		status = store.CallbackDelivered
	case last:
		status = store.CallbackFailed
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := w.Store.RecordCallbackAttempt(rctx, store.CallbackAttempt{
		CallbackID: cb.ID, Attempt: job.Attempt, At: time.Now(),
		StatusCode: res.StatusCode, Error: res.Error, Duration: res.Duration,
	}, status); err != nil {
		return fmt.Errorf("deliver callback: %w", err)
	}
	if w.Attempted != nil {
		w.Attempted(cb.Event, status)
	}

	if res.Delivered {
		log.Info("callback_delivered", "status_code", res.StatusCode, "duration_ms", res.Duration.Milliseconds())
		return nil
	}
	log.Warn("callback_attempt_failed", "status_code", res.StatusCode, "error", res.Error, "last", last)
	return fmt.Errorf("deliver callback: %s", res.Error)
}

// attempt obtains a token when tokenReq is set (the flow has an
// auth_url), then delivers. A token failure is a failed attempt.
func (w *Worker[TDriver, TTx]) attempt(ctx context.Context, cb *store.Callback, secret []byte, tokenReq *TokenRequest) Result {
	var token string
	if tokenReq != nil {
		start := time.Now()
		tok, err := w.Client.Token(ctx, cb.AuthURL, secret, *tokenReq)
		if err != nil {
			msg := "could not obtain a token"
			if te, ok := errors.AsType[*TokenError](err); ok {
				msg = te.Message()
			}
			return Result{Error: msg, Duration: time.Since(start)}
		}
		token = tok
	}
	return w.Client.Deliver(ctx, Delivery{
		ID: cb.ID, Event: cb.Event, URL: cb.URL, Body: cb.Body, Secret: secret, Token: token,
	})
}
