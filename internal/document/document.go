// Package document holds atlas's domain: document types, statuses, error
// codes, extracted fields and the words a page was read into. It imports
// only the standard library and is imported by every other package.
package document

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"slices"
	"sort"
	"strings"
)

// Type is what a document was recognised as, e.g. PAN or AADHAAR.
type Type string

// The document types of the catalogue (shared/spec/fields.md).
const (
	TypePAN            Type = "PAN"
	TypeAadhaar        Type = "AADHAAR"
	TypeVoterID        Type = "VOTER_ID"
	TypeDrivingLicense Type = "DRIVING_LICENSE"
	TypePassport       Type = "PASSPORT"
	TypeGSTCert        Type = "GST_CERT"
	TypeUdyamCert      Type = "UDYAM_CERT"
	TypeShopAct        Type = "SHOP_ACT_LICENSE"
	TypeInvoice        Type = "INVOICE"
	TypeBankStatement  Type = "BANK_STATEMENT"
	TypeCheque         Type = "CHEQUE"
	TypeDeliveryOrder  Type = "DELIVERY_ORDER"
	TypeSaleDeed       Type = "SALE_DEED"
)

// Status is where a document is in the pipeline.
type Status string

// Document statuses, as the extracts endpoint reports them.
const (
	StatusQueued     Status = "queued"
	StatusProcessing Status = "processing"
	StatusDone       Status = "done"
	StatusFailed     Status = "failed"
)

// ErrorCode is the stable, closed code a failed document carries.
type ErrorCode string

// Error codes of failed documents. Clients switch on these: never rename one.
const (
	CodeUnrecognised      ErrorCode = "UNRECOGNISED"
	CodeFetchFailed       ErrorCode = "FETCH_FAILED"
	CodeUnsupportedFormat ErrorCode = "UNSUPPORTED_FORMAT"
	CodeTooLarge          ErrorCode = "TOO_LARGE"
	CodeUnreadable        ErrorCode = "UNREADABLE"
	CodeTimeout           ErrorCode = "TIMEOUT"
	CodeInternal          ErrorCode = "INTERNAL"
)

// Error is a document's failure: a code, a message safe to show the client
// (no document contents, no secrets) and, for logs, the cause.
type Error struct {
	Code    ErrorCode
	Message string
	// UpstreamStatus is the HTTP status the document URL answered, for
	// FETCH_FAILED; zero otherwise.
	UpstreamStatus int
	// Retryable says the failure may pass (a timeout, a 5xx): the job
	// queue may try the document again.
	Retryable bool
	Err       error
}

// Errorf returns an *Error with the given code and client-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.Err != nil {
		return string(e.Code) + ": " + e.Message + ": " + e.Err.Error()
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Validation says which structural check a field's value passed or failed.
type Validation struct {
	Passed bool   `json:"passed"`
	Rule   string `json:"rule"`
}

// Field is one extracted value with how sure the reading is.
type Field struct {
	// Value is a string, or for structured fields an object or a list
	// (formatted_address, transactions).
	Value      any         `json:"value"`
	Confidence float64     `json:"confidence_score"`
	Validation *Validation `json:"validation,omitempty"`
	// Reviewed says a person corrected or confirmed the value in the
	// review page; Value is then theirs.
	Reviewed bool `json:"reviewed,omitempty"`
	// Box is where the value was read, in page pixels; for review tools,
	// not part of the API answer.
	Box  image.Rectangle `json:"-"`
	Page int             `json:"-"`
}

// FileData is what atlas read from one document: its type and named
// fields. It marshals as the API's file_data object, document_type first
// and the fields in the order they were set.
type FileData struct {
	Type   Type
	names  []string
	fields map[string]Field
}

// NewFileData returns an empty result of type t.
func NewFileData(t Type) *FileData {
	return &FileData{Type: t, fields: map[string]Field{}}
}

// Set adds or replaces a field.
func (d *FileData) Set(name string, f Field) {
	if _, ok := d.fields[name]; !ok {
		d.names = append(d.names, name)
	}
	d.fields[name] = f
}

// Get returns a field and whether it is present.
func (d *FileData) Get(name string) (Field, bool) {
	f, ok := d.fields[name]
	return f, ok
}

// Clone returns a copy whose fields can be set without changing d (the
// values themselves are shared: replace a field, do not mutate its value).
func (d *FileData) Clone() *FileData {
	c := &FileData{Type: d.Type, names: slices.Clone(d.names), fields: make(map[string]Field, len(d.fields))}
	for k, v := range d.fields {
		c.fields[k] = v
	}
	return c
}

// Names returns the field names in the order they were set.
func (d *FileData) Names() []string { return slices.Clone(d.names) }

// MarshalJSON writes {"document_type": ..., fields...}.
func (d *FileData) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"document_type":`)
	t, _ := json.Marshal(d.Type)
	b.Write(t)
	for _, n := range d.names {
		k, _ := json.Marshal(n)
		v, err := json.Marshal(d.fields[n])
		if err != nil {
			return nil, fmt.Errorf("marshal field %s: %w", n, err)
		}
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON wrote, keeping the field order.
func (d *FileData) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("file_data: want an object")
	}
	*d = FileData{fields: map[string]Field{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("file_data: %w", err)
		}
		key, _ := tok.(string)
		if key == "document_type" {
			if err := dec.Decode(&d.Type); err != nil {
				return fmt.Errorf("file_data document_type: %w", err)
			}
			continue
		}
		var f Field
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("file_data %s: %w", key, err)
		}
		d.Set(key, f)
	}
	_, err := dec.Token()
	return err
}

// Word is one word read from a page, with its box in page pixels.
type Word struct {
	Text string
	// Conf is the recogniser's confidence in [0, 1]; 1 for a PDF text layer.
	Conf float64
	Box  image.Rectangle
	// Block, Para and Line number the word's line on its page, in reading
	// order, as the recogniser grouped them.
	Block, Para, Line int
}

// Page is the words of one page, as OCR or a PDF text layer gave them.
type Page struct {
	Number        int // from 1
	Width, Height int
	// Source says where the words came from: "ocr" or "pdf_text".
	Source string
	// Rotation is the clockwise angle (0, 90, 180, 270) the page image was
	// turned by before reading.
	Rotation int
	Words    []Word
}

// Line is the words of one line, left to right.
type Line struct {
	Words []Word
	Box   image.Rectangle
}

// Text returns the line's words joined by single spaces.
func (l Line) Text() string {
	parts := make([]string, len(l.Words))
	for i, w := range l.Words {
		parts[i] = w.Text
	}
	return strings.Join(parts, " ")
}

// Conf returns the lowest word confidence in the line.
func (l Line) Conf() float64 {
	if len(l.Words) == 0 {
		return 0
	}
	c := 1.0
	for _, w := range l.Words {
		c = min(c, w.Conf)
	}
	return c
}

// Lines groups the page's words into lines, top to bottom, each left to
// right, using the recogniser's own line numbers.
func (p Page) Lines() []Line {
	type key struct{ b, p, l int }
	idx := map[key]int{}
	var lines []Line
	for _, w := range p.Words {
		k := key{w.Block, w.Para, w.Line}
		i, ok := idx[k]
		if !ok {
			i = len(lines)
			idx[k] = i
			lines = append(lines, Line{Box: w.Box})
		}
		lines[i].Words = append(lines[i].Words, w)
		lines[i].Box = lines[i].Box.Union(w.Box)
	}
	for i := range lines {
		sort.SliceStable(lines[i].Words, func(a, b int) bool { return lines[i].Words[a].Box.Min.X < lines[i].Words[b].Box.Min.X })
	}
	sort.SliceStable(lines, func(a, b int) bool { return lines[a].Box.Min.Y < lines[b].Box.Min.Y })
	return lines
}

// Text returns the page's lines joined by newlines.
func (p Page) Text() string {
	var b strings.Builder
	for _, l := range p.Lines() {
		b.WriteString(l.Text())
		b.WriteByte('\n')
	}
	return b.String()
}
