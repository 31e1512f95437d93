package client

import (
	"context"
	"net/http"
)

// AddressMatchRequest compares one address with up to 100 others.
type AddressMatchRequest struct {
	SourceAddress string          `json:"source_address"`
	Targets       []AddressTarget `json:"target_addresses"`
}

// AddressTarget is one address to compare with the source.
type AddressTarget struct {
	// ID is the caller's id for the target, echoed in its result.
	ID      string `json:"id,omitempty"`
	Address string `json:"address"`
}

// AddressMatchResponse holds one result per target, in request order.
type AddressMatchResponse struct {
	SourceAddress string               `json:"source_address"`
	Results       []AddressMatchResult `json:"results"`
}

// AddressMatchResult compares the source with one target. A target that
// could not be compared has Error set and no scores.
type AddressMatchResult struct {
	// Index is the target's position in the request.
	Index         int    `json:"index"`
	ID            string `json:"id,omitempty"`
	TargetAddress string `json:"target_address,omitempty"`
	// SimilarityScore (0-100) is how alike the addresses read.
	SimilarityScore float64 `json:"similarity_score"`
	// SamePersonScore (0-100) is how likely they are one household's.
	SamePersonScore float64 `json:"same_person_score"`
	// PincodeMatch is match, mismatch or unknown.
	PincodeMatch string `json:"pincode_match,omitempty"`
	// Verdict is match, review or mismatch.
	Verdict string        `json:"verdict,omitempty"`
	Error   *AddressError `json:"error,omitempty"`
}

// AddressError is why one target was not compared (code INVALID_ADDRESS).
type AddressError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// AddressMatch compares req's source address with each target. It changes
// nothing on the server, so it is retried like a read. Addresses are a
// person's data: the client never logs them.
func (c *Client) AddressMatch(ctx context.Context, req AddressMatchRequest) (*AddressMatchResponse, error) {
	body, err := jsonBody(req)
	if err != nil {
		return nil, err
	}
	var out AddressMatchResponse
	if _, err := c.call(ctx, &request{method: http.MethodPost, path: "/v1/address/match/batch", body: body, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
