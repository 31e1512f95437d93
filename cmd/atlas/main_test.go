package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/store"
)

func TestClientsAdd(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run([]string{"clients", "add", "--json", "--data-dir", dir, "back-office"}, &out, &out); err != nil {
		t.Fatalf("clients add: %v (%s)", err, out.String())
	}
	var c struct {
		Name, ClientID, ClientSecret string
	}
	dec := json.NewDecoder(&out)
	var raw map[string]string
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	c.Name, c.ClientID, c.ClientSecret = raw["name"], raw["client_id"], raw["client_secret"]
	if c.Name != "back-office" || c.ClientID == "" || len(c.ClientSecret) < 40 {
		t.Fatalf("printed %v", raw)
	}
	st, err := store.OpenSQLite(dir + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.GetClient(context.Background(), c.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if !auth.SecretMatches(c.ClientSecret, got.SecretHash) || bytes.Contains(got.SecretHash, []byte(c.ClientSecret)) {
		t.Error("the stored client does not hold the secret's hash (and only its hash)")
	}

	out.Reset()
	if err := run([]string{"clients", "add", "--data-dir", dir, "second"}, &out, &out); err != nil || !strings.Contains(out.String(), "Client-Secret:") {
		t.Errorf("plain output: %v %q", err, out.String())
	}
	if err := run([]string{"clients", "add", "--data-dir", dir}, &out, &out); err == nil {
		t.Error("clients add without a name succeeded")
	}
}

func TestServeRefusesBadSettings(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"serve", "--workers", "0", "--addr", "nonsense"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "--workers") || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("serve with bad settings: %v", err)
	}
}
