package config

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDefaultsValid(t *testing.T) {
	c := Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
}

func TestEnvAndFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var c Config
	c.Register(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ATLAS_ADDR": "0.0.0.0:1", "ATLAS_WORKERS": "3", "ATLAS_ALLOW_PRIVATE_URLS": "true", "ATLAS_JOB_TIMEOUT": "2m"}
	if err := ApplyEnv(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" {
		t.Errorf("the flag must win over the environment: addr = %q", c.Addr)
	}
	if c.Workers != 3 || !c.AllowPrivateURLs || c.JobTimeout != 2*time.Minute {
		t.Errorf("environment not applied: %+v", c)
	}
	bad := map[string]string{"ATLAS_WORKERS": "many"}
	fs2 := flag.NewFlagSet("t", flag.ContinueOnError)
	var c2 Config
	c2.Register(fs2)
	fs2.Parse(nil)
	err := ApplyEnv(fs2, func(k string) string { return bad[k] })
	if err == nil || !strings.Contains(err.Error(), "ATLAS_WORKERS") {
		t.Errorf("bad env value: got %v, want an error naming ATLAS_WORKERS", err)
	}
}

func TestValidateNamesBadSettings(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.Addr = "nonsense" }, "--addr (ATLAS_ADDR)"},
		{func(c *Config) { c.Workers = 0 }, "--workers"},
		{func(c *Config) { c.RescueAfter = c.JobTimeout }, "--rescue-after"},
		{func(c *Config) { c.FetchAllow = "10.0.0.0/8,nope" }, "--fetch-allow"},
		{func(c *Config) { c.JWTKey = "short" }, "--jwt-key"},
		{func(c *Config) { c.DevClient = "nocolon" }, "--dev-client"},
		{func(c *Config) { c.DatabaseURL = "mysql://x" }, "--database-url"},
		{func(c *Config) { c.DatabaseURL = "postgres://u:pw@h/db" }, "--jwt-key"}, // API processes must share a key
		{func(c *Config) { c.Role = "scheduler" }, "--role"},
		{func(c *Config) { c.Role = RoleWorker }, "needs --database-url postgres"},
		{func(c *Config) { c.LogLevel = "loud" }, "--log-level"},
		{func(c *Config) { c.MaxPixels = 10 }, "--max-pixels"},
	} {
		c := Defaults()
		tc.mod(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error containing %q", err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("error shows the database password: %v", err)
		}
	}
}

func TestFetchAllowPrefixes(t *testing.T) {
	c := Config{FetchAllow: "127.0.0.0/8, ::1, 10.1.2.3"}
	ps, err := c.FetchAllowPrefixes()
	if err != nil || len(ps) != 3 || ps[1].String() != "::1/128" || ps[2].String() != "10.1.2.3/32" {
		t.Fatalf("got %v, %v", ps, err)
	}
}

// The README's configuration table names every flag of atlas serve.
func TestREADMEListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var c Config
	c.Register(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(readme), "| `--"+f.Name+"` |") {
			t.Errorf("README.md's configuration table lacks --%s", f.Name)
		}
	})
}
