package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/internal/httpfetch"
)

// portalFlags are how the province reaches the national public service
// portal (DVCQG): its adapter, which serves the national catalogue, and
// the hosts the papers of the dossiers it hands over are fetched from.
type portalFlags struct {
	url, filesHosts, user, password, agency, style string
	fileTimeout                                    time.Duration
	workers                                        int

	client *dvcqgclient.Client // set by apply when url is
}

func (n *portalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.url, "national-url", os.Getenv("MOTCUA_NATIONAL_URL"), "base URL of the national portal's adapter (dvcqg/PROTOCOL.md), for the national catalogue's sync, the dossiers' sync and the signed audit anchors posted to it; unset: none of them [MOTCUA_NATIONAL_URL]")
	fs.StringVar(&n.filesHosts, "national-files-hosts", os.Getenv("MOTCUA_NATIONAL_FILES_HOSTS"), "comma-separated hosts (host, any port, or host:port) the papers of dossiers handed over by the national portal are fetched from (default: the host of --national-url; none: such dossiers with papers are refused, 503) [MOTCUA_NATIONAL_FILES_HOSTS]")
	fs.StringVar(&n.user, "national-user", os.Getenv("MOTCUA_NATIONAL_USER"), "the province's username on the national portal (with --demo: tinh-<province>) [MOTCUA_NATIONAL_USER]")
	fs.StringVar(&n.password, "national-password", os.Getenv("MOTCUA_NATIONAL_PASSWORD"), "its password (with --demo: matkhau-<province>); prefer the environment, a flag shows in the process list [MOTCUA_NATIONAL_PASSWORD]")
	fs.StringVar(&n.agency, "national-agency", os.Getenv("MOTCUA_NATIONAL_AGENCY"), "agency code sent as madonvi to the adapter (default: the province's code) [MOTCUA_NATIONAL_AGENCY]")
	fs.StringVar(&n.style, "national-style", envOr("MOTCUA_NATIONAL_STYLE", string(dvcqgclient.StyleAdapter)), "how dossiers are pushed to the portal: adapter (one endpoint with a session, services DongBoHoSoMC and CapNhatTienDoHoSoMC) or three-url (them-moi, cap-nhat, dong-bo-tien-trinh with HTTP Basic auth) [MOTCUA_NATIONAL_STYLE]")
	fs.IntVar(&n.workers, "national-workers", envInt("MOTCUA_NATIONAL_WORKERS", 2), "concurrent workers pushing dossiers to the portal [MOTCUA_NATIONAL_WORKERS]")
	fs.DurationVar(&n.fileTimeout, "national-file-timeout", envDuration("MOTCUA_NATIONAL_FILE_TIMEOUT", httpfetch.DefaultTimeout), "time limit of one paper's download from the national portal [MOTCUA_NATIONAL_FILE_TIMEOUT]")
}

// apply sets the national portal's clients of cfg (and n.client, which
// the dossier sync uses); demo fills in the demo credentials of
// PROTOCOL.md.
func (n *portalFlags) apply(cfg *platform.Config, maxSize int64, demo bool) error {
	var hosts []string
	for _, h := range strings.Split(n.filesHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	if n.url != "" {
		u, err := url.Parse(n.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return cli.UsageError("--national-url: cần địa chỉ http(s) (an http(s) URL is needed): " + n.url)
		}
		if len(hosts) == 0 {
			hosts = []string{u.Hostname()}
		}
		user, password, agency := n.user, n.password, n.agency
		if demo && user == "" {
			user, password = "tinh-"+cfg.ProvinceCode, "matkhau-"+cfg.ProvinceCode
		}
		if user == "" {
			return cli.UsageError("--national-url: cần --national-user và --national-password của tỉnh trên Cổng (the province's credentials are needed)")
		}
		if agency == "" {
			agency = cfg.ProvinceCode
		}
		style, err := dvcqgclient.ParseStyle(n.style)
		if err != nil {
			return cli.UsageError("--national-style: " + err.Error())
		}
		if n.workers < 1 || n.workers > 64 {
			return cli.UsageError(fmt.Sprintf("--national-workers %d: từ 1 đến 64 (1 to 64)", n.workers))
		}
		n.client = dvcqgclient.New(dvcqgclient.Config{URL: n.url, Username: user, Password: password, Agency: agency, Style: style, Timeout: 30 * time.Second})
		cfg.NationalCatalog = n.client
		cfg.NationalSync = true
	}
	if n.fileTimeout <= 0 {
		return cli.UsageError("--national-file-timeout: phải dương (must be positive)")
	}
	if len(hosts) > 0 {
		cfg.NationalFiles = httpfetch.New(hosts, n.fileTimeout, maxSize)
	}
	return nil
}
