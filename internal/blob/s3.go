package blob

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"gocloud.dev/blob/s3blob"
)

// s3Defaults are query options openS3 adds when the URL does not set them.
// Path-style addressing because S3-compatible servers on a plain host:port
// (versitygw, MinIO, Ceph) have no per-bucket DNS names. Checksums only
// when required because many such servers reject the trailing checksums the
// AWS SDK sends by default since 2025; objects are content-addressed by
// SHA-256 anyway.
var s3Defaults = []struct{ key, alias, value string }{
	{key: "use_path_style", alias: "s3ForcePathStyle", value: "true"},
	{key: "request_checksum_calculation", value: "when_required"},
	{key: "response_checksum_validation", value: "when_required"},
}

// openS3 opens s3://bucket?endpoint=...&region=... with gocloud.dev's
// s3blob. Every s3blob URL option is accepted; s3Defaults fill the gaps.
func openS3(ctx context.Context, u *url.URL) (*Store, error) {
	bucket := u.Host
	if bucket == "" {
		return nil, errors.New("open blob store: s3 URL has no bucket (want s3://bucket?endpoint=...)")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("open s3 bucket %q: key prefixes in the URL path are not supported", bucket)
	}
	q := u.Query()
	endpoint := q.Get("endpoint")
	if endpoint != "" {
		e, err := url.Parse(endpoint)
		if err != nil || e.Scheme == "" || e.Host == "" {
			return nil, fmt.Errorf("open s3 bucket %q: endpoint must be an absolute URL such as http://127.0.0.1:7070", bucket)
		}
		if e.User != nil {
			return nil, fmt.Errorf("open s3 bucket %q: endpoint must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead", bucket)
		}
	}
	for _, d := range s3Defaults {
		if !q.Has(d.key) && (d.alias == "" || !q.Has(d.alias)) {
			q.Set(d.key, d.value)
		}
	}
	clean := url.URL{Scheme: "s3", Host: bucket, RawQuery: q.Encode()}
	desc := fmt.Sprintf("s3 bucket %q at %s", bucket, describeEndpoint(endpoint))
	b, err := (&s3blob.URLOpener{}).OpenBucketURL(ctx, &clean)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", desc, err)
	}
	return &Store{b: b, desc: desc}, nil
}

// describeEndpoint names the endpoint for error messages.
func describeEndpoint(endpoint string) string {
	if endpoint == "" {
		return "the default AWS endpoint"
	}
	return endpoint
}
