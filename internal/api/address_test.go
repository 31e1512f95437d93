package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/match"
)

const addressPath = "/v1/address/match/batch"

func (e *env) matchAddresses(tok string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	e.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if tok != "" {
		h["Token"] = tok
	}
	for k, v := range hdr {
		h[k] = v
	}
	resp := e.do("POST", addressPath, h, body)
	return resp, apitest.CheckResponse(e.t, "POST", addressPath, resp)
}

type addressResult struct {
	Index           int      `json:"index"`
	ID              *string  `json:"id"`
	TargetAddress   *string  `json:"target_address"`
	SimilarityScore *float64 `json:"similarity_score"`
	SamePersonScore *float64 `json:"same_person_score"`
	PincodeMatch    string   `json:"pincode_match"`
	Verdict         string   `json:"verdict"`
	Error           *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func TestAddressMatchBatch(t *testing.T) {
	e := newEnv(t, api.Config{})
	source := "C/O Ramesh Patil, 45, Shivaji Nagar, Kolhapur, Maharashtra 416003"
	body, _ := json.Marshal(map[string]any{
		"source_address": source,
		"target_addresses": []map[string]any{
			{"id": "voter-id", "address": "45, SHIVAJI NGR, KOLHAPUR, MH, 416003"},
			{"address": "47, SHIVAJI NAGAR, KOLHAPUR, MAHARASHTRA, 416003"},
			{"id": "empty", "address": "  "},
			{"id": "", "address": "SHIVAJI NAGAR, KOLHAPUR"},
			{"id": "long", "address": strings.Repeat("A", 1001)},
			{"id": "punct", "address": ", - . /"},
			{"id": "missing"},
			{"address": "22, PILLAIYAR KOIL ST, MYLAPORE, CHENNAI 600004"},
		},
	})
	resp, out := e.matchAddresses(e.tokA, body, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	var got struct {
		SourceAddress string          `json:"source_address"`
		Results       []addressResult `json:"results"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.SourceAddress != source {
		t.Errorf("source_address %q, want the source as sent", got.SourceAddress)
	}
	if len(got.Results) != 8 {
		t.Fatalf("%d results, want 8", len(got.Results))
	}
	for i, r := range got.Results {
		if r.Index != i {
			t.Errorf("result %d has index %d", i, r.Index)
		}
	}
	for _, tc := range []struct {
		i           int
		id          string // "-" for none
		verdict     string
		pin         string
		errContains string
	}{
		{0, "voter-id", "match", "match", ""},
		{1, "-", "mismatch", "match", ""}, // another house of the street
		{2, "empty", "", "", "target_addresses[2].address is empty"},
		{3, "", "review", "unknown", ""},
		{4, "long", "", "", "target_addresses[4].address is longer than 1000 characters"},
		{5, "punct", "", "", "target_addresses[5].address has no letter or digit"},
		{6, "missing", "", "", "target_addresses[6].address is required"},
		{7, "-", "mismatch", "mismatch", ""},
	} {
		r := got.Results[tc.i]
		switch {
		case tc.id == "-" && r.ID != nil:
			t.Errorf("result %d: id %q, want none", tc.i, *r.ID)
		case tc.id != "-" && (r.ID == nil || *r.ID != tc.id):
			t.Errorf("result %d: id %v, want %q echoed", tc.i, r.ID, tc.id)
		}
		if tc.errContains != "" {
			if r.Error == nil || r.Error.Code != "INVALID_ADDRESS" || !strings.Contains(r.Error.Message, tc.errContains) {
				t.Errorf("result %d: error %+v, want INVALID_ADDRESS saying %q", tc.i, r.Error, tc.errContains)
			}
			if r.SimilarityScore != nil || r.SamePersonScore != nil || r.TargetAddress != nil {
				t.Errorf("result %d: a failed target has scores or an echo", tc.i)
			}
			continue
		}
		if r.Error != nil || r.SimilarityScore == nil || r.SamePersonScore == nil || r.TargetAddress == nil {
			t.Fatalf("result %d: %+v, want scores", tc.i, r)
		}
		if r.Verdict != tc.verdict || r.PincodeMatch != tc.pin {
			t.Errorf("result %d: verdict %s pincode_match %s, want %s %s (same_person %v)", tc.i, r.Verdict, r.PincodeMatch, tc.verdict, tc.pin, *r.SamePersonScore)
		}
		for _, v := range []float64{*r.SimilarityScore, *r.SamePersonScore} {
			if v*10 != float64(int(v*10)) {
				t.Errorf("result %d: score %v not rounded to one decimal", tc.i, v)
			}
		}
	}
	if *got.Results[0].TargetAddress != "45, SHIVAJI NGR, KOLHAPUR, MH, 416003" {
		t.Errorf("target_address %q, want the target as sent", *got.Results[0].TargetAddress)
	}
	if *got.Results[0].SamePersonScore <= *got.Results[1].SamePersonScore {
		t.Errorf("same house %v scored no higher than another house %v", *got.Results[0].SamePersonScore, *got.Results[1].SamePersonScore)
	}
}

func addressBody(source string, targets int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"source_address":%q,"target_addresses":[`, source)
	for i := range targets {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","address":"%d, MG ROAD, INDORE 452001"}`, i, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

func TestAddressMatchBatchValidation(t *testing.T) {
	e := newEnv(t, api.Config{})
	long := strings.Repeat("ब", 1001) // 1,001 characters, 3,003 bytes
	for _, tc := range []struct {
		name, body, want string
		status           int
	}{
		{"empty body", ``, "body is empty", 400},
		{"not JSON", `{"source_address":`, "malformed JSON", 400},
		{"array", `[]`, "must be a JSON object", 400},
		{"two values", addressBody("12, MG ROAD", 1) + `{}`, "more than one JSON value", 400},
		{"unknown field", `{"source_address":"x","target_addresses":[{"address":"y"}],"threshold":0.9}`, `unknown field "threshold"`, 400},
		{"unknown target field", `{"source_address":"x","target_addresses":[{"adress":"y"}]}`, `unknown field "adress"`, 400},
		{"source not a string", `{"source_address":12,"target_addresses":[{"address":"y"}]}`, "source_address must be a string", 400},
		{"missing source", `{"target_addresses":[{"address":"y"}]}`, "source_address is required", 400},
		{"empty source", `{"source_address":" ","target_addresses":[{"address":"y"}]}`, "source_address is empty", 400},
		{"long source", addressBody(long, 1), "source_address is longer than 1000 characters", 400},
		{"missing targets", `{"source_address":"12, MG ROAD"}`, "target_addresses is required", 400},
		{"null targets", `{"source_address":"12, MG ROAD","target_addresses":null}`, "target_addresses is required", 400},
		{"empty targets", `{"source_address":"12, MG ROAD","target_addresses":[]}`, "target_addresses is empty", 400},
		{"too many targets", addressBody("12, MG ROAD", 101), "target_addresses has 101 addresses; a request may have at most 100", 400},
		{"long id", `{"source_address":"x","target_addresses":[{"id":"` + strings.Repeat("i", 257) + `","address":"y"}]}`, "target_addresses[0].id is longer than 256", 400},
		{"every problem named", `{"source_address":""}`, "source_address is empty; target_addresses is required", 400},
		{"body too large", `{"source_address":"` + strings.Repeat("x", 1<<20) + `"}`, "larger than", 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.matchAddresses(e.tokA, []byte(tc.body), nil)
			wantError(t, resp, body, tc.status, tc.want)
		})
	}
	t.Run("wrong content type", func(t *testing.T) {
		resp, body := e.matchAddresses(e.tokA, []byte(addressBody("12, MG ROAD", 1)), map[string]string{"Content-Type": "text/plain"})
		wantError(t, resp, body, 415, "application/json")
	})
	t.Run("a hundred targets", func(t *testing.T) {
		resp, body := e.matchAddresses(e.tokA, []byte(addressBody("12, MG ROAD, INDORE 452001", 100)), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
	})
	t.Run("a 1000-character source", func(t *testing.T) {
		resp, body := e.matchAddresses(e.tokA, []byte(addressBody(strings.Repeat("ब", 1000), 1)), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
	})
}

func TestAddressMatchBatchNeedsToken(t *testing.T) {
	e := newEnv(t, api.Config{})
	for _, tc := range []struct{ tok, want string }{
		{"", "Token header is missing"},
		{"garbage", "invalid or expired"},
	} {
		resp, body := e.matchAddresses(tc.tok, []byte(addressBody("12, MG ROAD", 1)), nil)
		wantError(t, resp, body, 401, tc.want)
	}
}

func FuzzDecodeAddressMatch(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, addressBody("12, MG ROAD", 2), `{"source_address":"x","target_addresses":[null]}`,
		`{"source_address":"x","target_addresses":[{"id":null,"address":null}]}`, `{"source_address":"\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := api.DecodeAddressMatch(body)
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Status != 400 || ae.Message == "" {
				t.Fatalf("error %v is not a 400 with a message", err)
			}
			return
		}
		if req.SourceAddress == nil || strings.TrimSpace(*req.SourceAddress) == "" || len(req.TargetAddresses) == 0 || len(req.TargetAddresses) > api.MaxAddressTargets {
			t.Fatalf("accepted an incomplete request: %q", body)
		}
		// Whatever is accepted is answered, one result per target.
		out := api.MatchAddresses(req, match.Thresholds{})
		if len(out.Results) != len(req.TargetAddresses) {
			t.Fatalf("%d results for %d targets", len(out.Results), len(req.TargetAddresses))
		}
		for i, r := range out.Results {
			if r.Index != i || (r.Error == nil) == (r.SimilarityScore == nil) {
				t.Fatalf("result %d: %+v", i, r)
			}
		}
	})
}
