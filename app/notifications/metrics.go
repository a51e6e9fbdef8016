package notifications

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/store"
)

// metrics are the workers' Prometheus metrics; the Service is their
// collector (register it with the server's registry).
type metrics struct {
	sent                *prometheus.CounterVec
	failures, abandoned *prometheus.CounterVec
	sendTime            *prometheus.HistogramVec
	delay               prometheus.Histogram
	rows, oldest        *prometheus.Desc
}

func newMetrics(*Service) *metrics {
	return &metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_notifications_sent_total",
			Help: "Notifications the channel took, by channel and event."}, []string{"channel", "event"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_notification_failures_total",
			Help: "Attempts to send a notification that failed (retried later, up to the last attempt), by channel."}, []string{"channel"}),
		abandoned: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_notifications_abandoned_total",
			Help: "Notifications marked failed after their last attempt, by channel."}, []string{"channel"}),
		sendTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_notification_send_seconds",
			Help: "Duration of one attempt to send a notification, by channel.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, []string{"channel"}),
		delay: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "motcua_notification_delay_seconds",
			Help:    "Time from a dossier's change (queued in its transaction) to its notification being sent.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 22)}),
		rows:   prometheus.NewDesc("motcua_notifications", "Notifications by state (pending, sent, failed).", []string{"state"}, nil),
		oldest: prometheus.NewDesc("motcua_notification_backlog_age_seconds", "Age of the oldest notification not yet sent (0 when none).", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (s *Service) Describe(ch chan<- *prometheus.Desc) {
	s.m.sent.Describe(ch)
	s.m.failures.Describe(ch)
	s.m.abandoned.Describe(ch)
	s.m.sendTime.Describe(ch)
	s.m.delay.Describe(ch)
	ch <- s.m.rows
	ch <- s.m.oldest
}

// Collect implements prometheus.Collector; the rows are counted in the
// store at each scrape.
func (s *Service) Collect(ch chan<- prometheus.Metric) {
	s.m.sent.Collect(ch)
	s.m.failures.Collect(ch)
	s.m.abandoned.Collect(ch)
	s.m.sendTime.Collect(ch)
	s.m.delay.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := s.Store.NotificationCounts(ctx)
	if err != nil {
		s.Log.Warn("notification backlog not measured", "error", err)
		return
	}
	for _, st := range []string{store.NotifyPending, store.NotifySent, store.NotifyFailed} {
		ch <- prometheus.MustNewConstMetric(s.m.rows, prometheus.GaugeValue, float64(c.ByState[st]), st)
	}
	age := 0.0
	if !c.OldestPending.IsZero() {
		age = max(0, s.Now().Sub(c.OldestPending).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(s.m.oldest, prometheus.GaugeValue, age)
}
