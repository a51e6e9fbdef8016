package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/payment"
)

// paymentFlags configure the payment of fees: the secret the bank's (or
// payment service's) callbacks are signed with, and the demo bank.
type paymentFlags struct {
	secretFile string
	demoDelay  time.Duration
}

func (f *paymentFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.secretFile, "payment-secret-file", os.Getenv("MOTCUA_PAYMENT_SECRET_FILE"), "file holding the secret the payment provider signs its callbacks to /api/v1/payments/callback with (HMAC-SHA256); unset: callbacks are refused, except the demo bank's with --demo [MOTCUA_PAYMENT_SECRET_FILE]")
	fs.DurationVar(&f.demoDelay, "demo-bank-delay", envDuration("MOTCUA_DEMO_BANK_DELAY", 5*time.Second), "with --demo: how long after the citizen's \"I have transferred\" the demo bank confirms the transfer [MOTCUA_DEMO_BANK_DELAY]")
}

// apply sets cfg's payment secret and, with --demo, the demo bank, which
// confirms a transfer by a signed callback to this server at addr.
func (f *paymentFlags) apply(cfg *platform.Config, demo bool, addr string, log *slog.Logger) error {
	if f.secretFile != "" {
		b, err := os.ReadFile(f.secretFile)
		if err != nil {
			return fmt.Errorf("--payment-secret-file: %w", err)
		}
		if cfg.PaymentSecret = bytes.TrimSpace(b); len(cfg.PaymentSecret) < 16 {
			return fmt.Errorf("--payment-secret-file: the secret needs at least 16 bytes")
		}
	}
	if !demo {
		return nil
	}
	if cfg.PaymentSecret == nil {
		cfg.PaymentSecret = make([]byte, 32)
		_, _ = rand.Read(cfg.PaymentSecret)
	}
	url := "http://" + loopback(addr) + "/api/v1/payments/callback"
	client := &http.Client{Timeout: 10 * time.Second}
	cfg.Payments = &payment.Demo{Secret: cfg.PaymentSecret, Delay: f.demoDelay, Deliver: func(ctx context.Context, body []byte, sig string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(payment.SignatureHeader, sig)
		res, err := client.Do(req)
		if err != nil {
			log.Error("demo bank: callback", "url", url, "error", err)
			return err
		}
		res.Body.Close()
		log.Info("demo bank: transfer confirmed", "url", url, "status", res.StatusCode)
		return nil
	}}
	log.Warn("demo bank (simulated VietQR transfers, never in production): a citizen's transfer is confirmed by a signed callback", "delay", f.demoDelay.String())
	return nil
}

// loopback is addr with an unspecified host (":8080", "0.0.0.0:8080")
// made the loopback address the server can call itself at.
func loopback(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}
