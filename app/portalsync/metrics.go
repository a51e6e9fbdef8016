package portalsync

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/store"
)

// metrics are the syncer's Prometheus metrics; the Syncer is their
// collector.
type metrics struct {
	synced, refused prometheus.Counter
	calls           *prometheus.CounterVec
	callTime        *prometheus.HistogramVec
	lag             prometheus.Histogram
	rows, oldest    *prometheus.Desc
}

func newMetrics(s *Syncer) *metrics {
	return &metrics{
		synced: prometheus.NewCounter(prometheus.CounterOpts{Name: "motcua_portal_synced_total",
			Help: "Dossiers whose latest version the national portal acknowledged."}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "motcua_portal_refused_total",
			Help: "Attempts at a dossier the national portal (or the checks before sending) refused; retried later."}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_portal_calls_total",
			Help: "Calls to the national portal by kind (dossiers, progress) and outcome (answered, unreachable)."}, []string{"kind", "outcome"}),
		callTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_portal_call_seconds",
			Help: "Duration of the calls to the national portal.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, []string{"kind"}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "motcua_portal_sync_lag_seconds",
			Help:    "Time from a dossier's change (queued in its transaction) to the national portal's acknowledgement.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 18)}),
		rows:   prometheus.NewDesc("motcua_portal_sync_rows", "Dossiers by national portal sync state.", []string{"state"}, nil),
		oldest: prometheus.NewDesc("motcua_portal_sync_backlog_age_seconds", "Age of the oldest change not yet acknowledged by the national portal (0 when none).", nil, nil),
	}
}

func (m *metrics) call(kind string, d time.Duration, err error) {
	outcome := "answered"
	if err != nil {
		outcome = "unreachable"
	}
	m.calls.WithLabelValues(kind, outcome).Inc()
	m.callTime.WithLabelValues(kind).Observe(d.Seconds())
}

func (m *metrics) observe(synced, refused int, lags []time.Duration) {
	m.synced.Add(float64(synced))
	m.refused.Add(float64(refused))
	for _, l := range lags {
		m.lag.Observe(max(l, 0).Seconds())
	}
}

// Describe implements prometheus.Collector.
func (s *Syncer) Describe(ch chan<- *prometheus.Desc) {
	s.m.synced.Describe(ch)
	s.m.refused.Describe(ch)
	s.m.calls.Describe(ch)
	s.m.callTime.Describe(ch)
	s.m.lag.Describe(ch)
	ch <- s.m.rows
	ch <- s.m.oldest
}

// Collect implements prometheus.Collector; the rows are counted in the
// store at each scrape.
func (s *Syncer) Collect(ch chan<- prometheus.Metric) {
	s.m.synced.Collect(ch)
	s.m.refused.Collect(ch)
	s.m.calls.Collect(ch)
	s.m.callTime.Collect(ch)
	s.m.lag.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := s.db.PortalSyncCounts(ctx)
	if err != nil {
		s.cfg.Log.Warn("portal sync backlog not measured", "error", err)
		return
	}
	for _, st := range []string{store.PortalPending, store.PortalSynced, store.PortalFailed} {
		ch <- prometheus.MustNewConstMetric(s.m.rows, prometheus.GaugeValue, float64(c.ByState[st]), st)
	}
	age := 0.0
	if !c.OldestQueued.IsZero() {
		age = max(0, s.cfg.Now().Sub(c.OldestQueued).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(s.m.oldest, prometheus.GaugeValue, age)
}
