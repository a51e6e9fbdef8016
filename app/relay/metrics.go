package relay

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the relay's Prometheus metrics; the Relay is their
// collector (register it with the server's registry).
type metrics struct {
	published, duplicates, failures prometheus.Counter
	delay                           prometheus.Histogram
	pending, lag                    *prometheus.Desc
}

func newMetrics(r *Relay) metrics {
	return metrics{
		published: prometheus.NewCounter(prometheus.CounterOpts{Name: "motcua_outbox_published_total",
			Help: "Outbox events acknowledged by the message bus (duplicates included)."}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{Name: "motcua_outbox_duplicates_total",
			Help: "Outbox events the message bus had already and dropped (published again after a restart, or by another node's relay)."}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Name: "motcua_outbox_publish_failures_total",
			Help: "Publications of outbox events that failed (retried later)."}),
		delay: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "motcua_outbox_publish_delay_seconds",
			Help:    "Time from an event (its change, just before the commit) to the message bus's acknowledgement.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 18)}),
		pending: prometheus.NewDesc("motcua_outbox_pending", "Outbox events not yet published.", nil, nil),
		lag:     prometheus.NewDesc("motcua_outbox_lag_seconds", "Age of the oldest outbox event not yet published (0 when none).", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (r *Relay) Describe(ch chan<- *prometheus.Desc) {
	r.m.published.Describe(ch)
	r.m.duplicates.Describe(ch)
	r.m.failures.Describe(ch)
	r.m.delay.Describe(ch)
	ch <- r.m.pending
	ch <- r.m.lag
}

// Collect implements prometheus.Collector. The backlog is counted in the
// store at each scrape, so that it shows a relay that is stuck (or another
// node's) as well; when the store does not answer, it is left out.
func (r *Relay) Collect(ch chan<- prometheus.Metric) {
	r.m.published.Collect(ch)
	r.m.duplicates.Collect(ch)
	r.m.failures.Collect(ch)
	r.m.delay.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	b, err := r.db.OutboxBacklog(ctx)
	if err != nil {
		r.cfg.Log.Warn("outbox backlog not measured", "error", err)
		return
	}
	lag := 0.0
	if b.Pending > 0 {
		lag = max(0, r.cfg.Now().Sub(b.Oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(r.m.pending, prometheus.GaugeValue, float64(b.Pending))
	ch <- prometheus.MustNewConstMetric(r.m.lag, prometheus.GaugeValue, lag)
}
