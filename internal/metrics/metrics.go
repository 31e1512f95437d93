// Package metrics defines atlas's Prometheus metrics in one place.
package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/atlas-oss/atlas/internal/document"
)

// Metrics holds the collectors and the registry they are in.
type Metrics struct {
	Registry  *prometheus.Registry
	Requests  *prometheus.CounterVec
	Latency   *prometheus.HistogramVec
	Documents *prometheus.CounterVec
	Stages    *prometheus.HistogramVec
	// Callbacks counts callback delivery attempts by event and outcome
	// (delivered, retry, failed).
	Callbacks *prometheus.CounterVec
	// Corrections counts reviewers' corrections by document type and
	// field: which fields the readers get wrong most.
	Corrections *prometheus.CounterVec
}

// StatusCounter counts stored documents by status, for the queue depth.
type StatusCounter interface {
	CountByStatus(ctx context.Context, statuses ...document.Status) (map[document.Status]int, error)
}

// New registers atlas's metrics on a fresh registry. role and version are
// reported by atlas_build_info.
func New(counts StatusCounter, role, version string) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "atlas_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "atlas_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"route"}),
		Documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "atlas_documents_finished_total", Help: "Documents finished, by status, document type and error code.",
		}, []string{"status", "document_type", "error_code"}),
		Stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "atlas_stage_duration_seconds", Help: "Pipeline stage durations (fetch, store, decode, ocr, classify, extract).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 3, 12),
		}, []string{"stage"}),
		Callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "atlas_callback_attempts_total", Help: "Callback delivery attempts by event and outcome (delivered, retry, failed: given up).",
		}, []string{"event", "outcome"}),
		Corrections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "atlas_corrections_total", Help: "Fields corrected by a reviewer, by document type and field.",
		}, []string{"document_type", "field"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "atlas_build_info", Help: "Always 1; labels give the process's role and version.",
		ConstLabels: prometheus.Labels{"role": role, "version": version},
	})
	build.Set(1)
	m.Registry.MustRegister(m.Requests, m.Latency, m.Documents, m.Stages, m.Callbacks, m.Corrections, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if counts != nil {
		m.Registry.MustRegister(&depthCollector{counts: counts, desc: prometheus.NewDesc(
			"atlas_documents", "Documents waiting or being read, by status (queued, processing): the queue depth.", []string{"status"}, nil)})
	}
	return m
}

// ObserveStage records a pipeline stage's duration.
func (m *Metrics) ObserveStage(stage string, d time.Duration) {
	m.Stages.WithLabelValues(stage).Observe(d.Seconds())
}

// DocumentFinished counts a finished document.
func (m *Metrics) DocumentFinished(status document.Status, t document.Type, code document.ErrorCode) {
	m.Documents.WithLabelValues(string(status), string(t), string(code)).Inc()
}

// CallbackAttempted counts one callback delivery attempt; status is the
// callback's status after it (delivered, pending: to be retried, failed).
func (m *Metrics) CallbackAttempted(event, status string) {
	outcome := status
	if status == "pending" {
		outcome = "retry"
	}
	m.Callbacks.WithLabelValues(event, outcome).Inc()
}

// Corrected counts one reviewer's correction of a field of a document of
// type docType.
func (m *Metrics) Corrected(docType, field string) {
	m.Corrections.WithLabelValues(docType, field).Inc()
}

type depthCollector struct {
	counts StatusCounter
	desc   *prometheus.Desc
}

func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// Only the unfinished: counting every document ever read on each
	// scrape would grow with the archive (finished ones are counted by
	// atlas_documents_finished_total).
	unfinished := []document.Status{document.StatusQueued, document.StatusProcessing}
	counts, err := c.counts.CountByStatus(ctx, unfinished...)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, st := range unfinished {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}
