package dvcqgclient

import (
	"context"
	"strings"

	"github.com/motcua/motcua/dvcqg"
)

// The three URLs of style B under the portal's base URL.
const (
	AddPath      = "/dvcqg/them-moi"
	UpdatePath   = "/dvcqg/cap-nhat"
	ProgressPath = "/dvcqg/dong-bo-tien-trinh"
)

// Batch sizes: the adapter takes up to 100 records or entries a call;
// the three-URL style's progress endpoint up to 10 (PROTOCOL.md).
const (
	MaxDossiers        = 100
	maxProgressAdapter = 100
	maxProgressThree   = 10
)

// Answer is the portal's verdict on a batch it read: its error code and
// message. An error returned beside it means the batch was not read (the
// portal unreachable, an HTTP error, an unreadable answer, the province's
// credentials refused): the batch must be sent again later, unchanged.
type Answer struct {
	Code    string
	Message string
}

func answerOf(r dvcqg.Reply) Answer {
	return Answer{Code: strings.TrimSpace(r.ErrorCode), Message: r.Message}
}

// Accepted: the batch was stored ("0"/"00").
func (a Answer) Accepted() bool { return a.Code == dvcqg.CodeOK || a.Code == "00" }

// Exists: an add found the dossier already there ("3", "-3", or the
// message says "đã tồn tại"); the dossier is then sent as an update.
func (a Answer) Exists() bool {
	return a.Code == dvcqg.CodeExists || a.Code == "-3" || dvcqg.Reply{Message: a.Message}.Exists()
}

// NotFound: an update or a progress entry named a dossier the portal does
// not have ("-4"); the dossier is then added.
func (a Answer) NotFound() bool { return a.Code == dvcqg.CodeNotFound }

// Style is the client's transport style.
func (c *Client) Style() Style { return c.style }

// ProgressBatch is how many progress entries one call may carry.
func (c *Client) ProgressBatch() int {
	if c.style == StyleThreeURL {
		return maxProgressThree
	}
	return maxProgressAdapter
}

// AddDossiers sends records of dossiers new to the portal (at most
// MaxDossiers).
func (c *Client) AddDossiers(ctx context.Context, recs []dvcqg.Dossier) (Answer, error) {
	return c.dossiers(ctx, recs, false)
}

// UpdateDossiers sends new states of dossiers the portal has.
func (c *Client) UpdateDossiers(ctx context.Context, recs []dvcqg.Dossier) (Answer, error) {
	return c.dossiers(ctx, recs, true)
}

func (c *Client) dossiers(ctx context.Context, recs []dvcqg.Dossier, updating bool) (Answer, error) {
	if c.style == StyleThreeURL {
		path := AddPath
		if updating {
			path = UpdatePath
		}
		var r dvcqg.Reply
		err := c.postAuth(ctx, path, recs, &r, true)
		return answerOf(r), err
	}
	flag := "False"
	if updating {
		flag = "True"
	}
	r, err := c.exchange(ctx, "DongBoHoSoMC", map[string]any{"isUpdating": flag, "data": recs})
	return answerOf(r), err
}

// AddProgress sends progress entries (at most ProgressBatch).
func (c *Client) AddProgress(ctx context.Context, entries []dvcqg.Progress) (Answer, error) {
	if c.style == StyleThreeURL {
		var r dvcqg.Reply
		err := c.postAuth(ctx, ProgressPath, entries, &r, true)
		return answerOf(r), err
	}
	r, err := c.exchange(ctx, "CapNhatTienDoHoSoMC", map[string]any{"data": entries})
	return answerOf(r), err
}
