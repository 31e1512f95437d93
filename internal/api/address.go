package api

import (
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/atlas-oss/atlas/internal/match"
)

// Limits of an address match request.
const (
	// MaxAddressTargets is the most target addresses one request compares.
	MaxAddressTargets = 100
	// MaxAddressChars is the longest address accepted, in characters.
	MaxAddressChars = 1000
	// maxTargetID bounds a target's client id.
	maxTargetID = 256
	// maxAddressBody bounds the request body: 101 addresses of 1,000
	// characters, each up to 4 bytes, with ids and JSON escapes.
	maxAddressBody = 1 << 20
)

// InvalidAddress is the code of a target address that cannot be compared.
const InvalidAddress = "INVALID_ADDRESS"

// AddressMatchRequest is the body of POST /v1/address/match/batch.
type AddressMatchRequest struct {
	SourceAddress   *string         `json:"source_address"`
	TargetAddresses []AddressTarget `json:"target_addresses"`
}

// AddressTarget is one address to compare with the source.
type AddressTarget struct {
	// ID is the client's id for the target, echoed in its result.
	ID      *string `json:"id"`
	Address *string `json:"address"`
}

// AddressMatchResponse is the answer of POST /v1/address/match/batch.
type AddressMatchResponse struct {
	SourceAddress string               `json:"source_address"`
	Results       []AddressMatchResult `json:"results"`
}

// AddressMatchResult is the comparison of the source with one target, in
// request order. A target that cannot be compared has Error and no scores.
type AddressMatchResult struct {
	Index           int           `json:"index"`
	ID              *string       `json:"id,omitempty"`
	TargetAddress   *string       `json:"target_address,omitempty"`
	SimilarityScore *float64      `json:"similarity_score,omitempty"`
	SamePersonScore *float64      `json:"same_person_score,omitempty"`
	PincodeMatch    string        `json:"pincode_match,omitempty"`
	Verdict         match.Verdict `json:"verdict,omitempty"`
	Error           *AddressError `json:"error,omitempty"`
}

// AddressError is why one target address was not compared.
type AddressError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// pincodeUnknown is AddressMatchResult.PincodeMatch when either address
// has no PIN code ("match" and "mismatch" otherwise).
const pincodeUnknown = "unknown"

// DecodeAddressMatch parses and validates an address match body. Every
// problem with the request as a whole (up to ten) is named in the error;
// a bad target address is not one (it gets its own error in the answer,
// see checkAddress).
func DecodeAddressMatch(body []byte) (*AddressMatchRequest, error) {
	var req AddressMatchRequest
	if err := decodeStrict(body, "address match", &req); err != nil {
		return nil, err
	}
	var probs problems
	add := probs.add
	switch {
	case req.SourceAddress == nil:
		add("source_address is required")
	case strings.TrimSpace(*req.SourceAddress) == "":
		add("source_address is empty")
	case utf8.RuneCountInString(*req.SourceAddress) > MaxAddressChars:
		add("source_address is longer than %d characters", MaxAddressChars)
	}
	switch {
	case req.TargetAddresses == nil:
		add("target_addresses is required")
	case len(req.TargetAddresses) == 0:
		add("target_addresses is empty")
	case len(req.TargetAddresses) > MaxAddressTargets:
		add("target_addresses has %d addresses; a request may have at most %d: split it", len(req.TargetAddresses), MaxAddressTargets)
	}
	for i, t := range req.TargetAddresses {
		if i >= MaxAddressTargets {
			break
		}
		if t.ID != nil && len(*t.ID) > maxTargetID {
			add("target_addresses[%d].id is longer than %d characters", i, maxTargetID)
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return &req, nil
}

// checkAddress returns what makes a target address impossible to
// compare, or "".
func checkAddress(s *string) string {
	switch {
	case s == nil:
		return "address is required"
	case strings.TrimSpace(*s) == "":
		return "address is empty"
	case utf8.RuneCountInString(*s) > MaxAddressChars:
		return fmt.Sprintf("address is longer than %d characters", MaxAddressChars)
	case !strings.ContainsFunc(*s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return "address has no letter or digit"
	}
	return ""
}

// MatchAddresses compares the source address of req with each target,
// with thresholds t for the verdicts.
func MatchAddresses(req *AddressMatchRequest, t match.Thresholds) AddressMatchResponse {
	out := AddressMatchResponse{SourceAddress: *req.SourceAddress, Results: make([]AddressMatchResult, len(req.TargetAddresses))}
	for i, tg := range req.TargetAddresses {
		r := AddressMatchResult{Index: i, ID: tg.ID}
		if p := checkAddress(tg.Address); p != "" {
			r.Error = &AddressError{Code: InvalidAddress, Message: fmt.Sprintf("target_addresses[%d].%s", i, p)}
			out.Results[i] = r
			continue
		}
		c := match.CompareAddresses(*req.SourceAddress, *tg.Address)
		sim, same := round1(c.Similarity), round1(c.SamePerson)
		r.TargetAddress = tg.Address
		r.SimilarityScore, r.SamePersonScore = &sim, &same
		r.PincodeMatch = c.PINMatch
		if r.PincodeMatch == "" {
			r.PincodeMatch = pincodeUnknown
		}
		r.Verdict = match.AddressVerdict(c, t)
		out.Results[i] = r
	}
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// addressMatchBatch serves POST /v1/address/match/batch. Addresses are
// a person's data: they are never logged.
func (s *Server) addressMatchBatch(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return errorf(http.StatusUnsupportedMediaType, "the body must be application/json, not %s", mt)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAddressBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errorf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes: send at most %d addresses of %d characters", maxAddressBody, MaxAddressTargets, MaxAddressChars)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "could not read the body")
	}
	req, err := DecodeAddressMatch(body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, MatchAddresses(req, s.cfg.Address))
	return nil
}
