package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

// Callback events.
const (
	EventDocumentProcessed = "document.processed"
	EventDocumentFailed    = "document.failed"
	EventCrossChecks       = "flow.cross_checks_completed"
)

// Store is what the flow jobs need of the store, for transaction type TTx.
type Store[TTx any] interface {
	FlowOfDocumentTx(ctx context.Context, tx TTx, fileUUID string) (*store.Flow, int, error)
	GetDocumentTx(ctx context.Context, tx TTx, fileUUID string) (*store.Document, error)
	InsertCallbackTx(ctx context.Context, tx TTx, c *store.Callback) error
	GetClient(ctx context.Context, id string) (*store.Client, error)
	FlowByID(ctx context.Context, id string) (*store.Flow, error)
	ListFlowDocuments(ctx context.Context, flowID string) ([]store.Document, error)
	SaveCrossChecks(ctx context.Context, flowID string, checks json.RawMessage, docs int, also func(ctx context.Context, tx TTx) error) (bool, error)
}

// Jobs creates a flow's follow-up work, always inside the transaction
// that caused it, so none is lost: a document callback and, when the
// flow's last unfinished document finishes, a cross-check run.
type Jobs[TDriver riverdriver.Driver[TTx], TTx any] struct {
	Store Store[TTx]
	// River inserts the cross-check jobs; set once the client exists.
	River *river.Client[TTx]
	// EnqueueCallback inserts the job that delivers callback id, in tx.
	EnqueueCallback func(ctx context.Context, tx TTx, id string) error
	// BaseURL is where clients reach atlas, for redact_url in callbacks.
	BaseURL  string
	Settings crosscheck.Settings
	Log      *slog.Logger
}

// Flow is the part of a callback body that says which flow it is about.
type Flow struct {
	FlowID              string          `json:"flow_id"`
	ApplicationID       string          `json:"application_id"`
	ExternalReferenceID string          `json:"external_reference_id,omitempty"`
	ProductType         string          `json:"product_type"`
	FlowParams          json.RawMessage `json:"flow_params"`
}

// FlowOf presents a flow's identity.
func FlowOf(f *store.Flow) Flow {
	return Flow{FlowID: f.ID, ApplicationID: f.ApplicationID, ExternalReferenceID: f.ExternalReferenceID, ProductType: f.ProductType, FlowParams: Params(f)}
}

// DocumentEvent is the body of a document callback.
type DocumentEvent struct {
	CallbackID string    `json:"callback_id"`
	Event      string    `json:"event"`
	CreatedAt  time.Time `json:"created_at"`
	Flow
	Document Entry `json:"document"`
}

// CrossChecksEvent is the body of the callback sent when a flow's
// cross-checks complete: the whole result, as extracts gives it.
type CrossChecksEvent struct {
	CallbackID string    `json:"callback_id"`
	Event      string    `json:"event"`
	CreatedAt  time.Time `json:"created_at"`
	Flow
	Status      Status             `json:"status"`
	OCRData     []Entry            `json:"ocr_data"`
	CrossChecks []crosscheck.Check `json:"cross_checks"`
}

// DocumentFinished runs in the transaction that stores a document's
// result: for a flow's document it records the document's callback and,
// if no document of the flow is left unfinished, schedules the
// cross-checks.
func (j *Jobs[TDriver, TTx]) DocumentFinished(ctx context.Context, tx TTx, fileUUID string) error {
	f, unfinished, err := j.Store.FlowOfDocumentTx(ctx, tx, fileUUID)
	if err != nil || f == nil {
		return err
	}
	if f.CallbackURL != "" {
		d, err := j.Store.GetDocumentTx(ctx, tx, fileUUID)
		if err != nil {
			return err
		}
		c, err := j.Store.GetClient(ctx, f.ClientID)
		if err != nil {
			return err
		}
		ev := DocumentEvent{CallbackID: NewCallbackID(), Event: EventDocumentProcessed, CreatedAt: time.Now().UTC(), Flow: FlowOf(f),
			Document: NewEntry(*d, c, j.BaseURL)}
		if d.Status == document.StatusFailed {
			ev.Event = EventDocumentFailed
		}
		if err := j.insertCallback(ctx, tx, f, ev.CallbackID, ev.Event, fileUUID, ev); err != nil {
			return err
		}
	}
	if unfinished > 0 {
		return nil
	}
	if _, err := j.River.InsertTx(ctx, tx, CrossCheckArgs{FlowID: f.ID}, &river.InsertOpts{MaxAttempts: 10, Queue: Queue}); err != nil {
		return fmt.Errorf("schedule cross-checks: %w", err)
	}
	return nil
}

func (j *Jobs[TDriver, TTx]) insertCallback(ctx context.Context, tx TTx, f *store.Flow, id, event, fileUUID string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode callback: %w", err)
	}
	cb := &store.Callback{ID: id, ClientID: f.ClientID, FlowID: f.ID, Event: event, FileUUID: fileUUID, URL: f.CallbackURL, Body: b}
	if err := j.Store.InsertCallbackTx(ctx, tx, cb); err != nil {
		return err
	}
	return j.EnqueueCallback(ctx, tx, id)
}

// NewCallbackID returns a callback id: a time-ordered UUID.
func NewCallbackID() string { return "cb_" + uuid.Must(uuid.NewV7()).String() }

// CrossCheckArgs is the job that runs a flow's cross-checks.
type CrossCheckArgs struct {
	FlowID string `json:"flow_id"`
	// Rerun runs the checks again over documents already checked: a
	// reviewer corrected one of them.
	Rerun bool `json:"rerun,omitempty"`
}

// Kind names the job in River's tables.
func (CrossCheckArgs) Kind() string { return "crosscheck_flow" }

// CrossCheckWorker runs a flow's cross-checks over its finished
// documents, stores them and, in the same transaction, records the
// callback that carries them.
type CrossCheckWorker[TDriver riverdriver.Driver[TTx], TTx any] struct {
	river.WorkerDefaults[CrossCheckArgs]
	Jobs *Jobs[TDriver, TTx]
}

// Work runs the cross-checks of job.Args.FlowID.
func (w *CrossCheckWorker[TDriver, TTx]) Work(ctx context.Context, job *river.Job[CrossCheckArgs]) error {
	j := w.Jobs
	f, err := j.Store.FlowByID(ctx, job.Args.FlowID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	docs, err := j.Store.ListFlowDocuments(ctx, f.ID)
	if err != nil {
		return err
	}
	finished := 0
	in := make([]crosscheck.Document, 0, len(docs))
	for _, d := range docs {
		if d.Status != document.StatusDone && d.Status != document.StatusFailed {
			continue
		}
		finished++
		cd := crosscheck.Document{DocumentID: d.DocumentID, FileUUID: d.FileUUID, ContentKey: d.BlobKey}
		if d.Status == document.StatusDone {
			// With reviewers' corrections: a name a person fixed is the
			// one to compare (no client: nothing is masked here).
			cd.Data = FileData(d, nil, "")
		}
		in = append(in, cd)
	}
	if finished < len(docs) {
		return nil // a document still being read will schedule another run
	}
	if f.CrossChecks != nil && f.CrossChecksDocs >= finished && !job.Args.Rerun {
		return nil // already run over these documents
	}
	var declared map[string]any
	if len(f.Params) > 0 {
		if err := json.Unmarshal(f.Params, &declared); err != nil {
			j.Log.Warn("flow_params_unreadable", "flow_id", f.ID)
		}
	}
	checks := crosscheck.Run(in, declared, j.Settings)
	if checks == nil {
		checks = []crosscheck.Check{}
	}
	b, err := json.Marshal(checks)
	if err != nil {
		return fmt.Errorf("encode cross-checks: %w", err)
	}
	var c *store.Client
	if f.CallbackURL != "" {
		if c, err = j.Store.GetClient(ctx, f.ClientID); err != nil {
			return err
		}
	}
	_, err = j.Store.SaveCrossChecks(ctx, f.ID, b, finished, func(ctx context.Context, tx TTx) error {
		if _, err := river.JobCompleteTx[TDriver](ctx, tx, job); err != nil {
			return err
		}
		if f.CallbackURL == "" {
			return nil
		}
		f.CrossChecks, f.CrossChecksDocs = b, finished
		ev := CrossChecksEvent{CallbackID: NewCallbackID(), Event: EventCrossChecks, CreatedAt: time.Now().UTC(), Flow: FlowOf(f),
			Status: StatusOf(f, docs), CrossChecks: checks, OCRData: make([]Entry, len(docs))}
		for i, d := range docs {
			ev.OCRData[i] = NewEntry(d, c, j.BaseURL)
		}
		return j.insertCallback(ctx, tx, f, ev.CallbackID, ev.Event, "", ev)
	})
	return err
}

// Queue is the River queue of flow work (cross-checks, callbacks), apart
// from the documents' so a long batch does not hold it up.
const Queue = "flow"
