package dvcqgclient

import (
	"context"
	"encoding/json"

	"github.com/motcua/motcua/dvcqg"
)

// AnchorPath is where the province posts its signed audit anchors:
// motcua's extension of the protocol, served by the national mode
// (PROTOCOL.md, style B).
const AnchorPath = "/dvcqg/neo-nhat-ky"

// PostAnchor sends one signed audit anchor (the JSON of
// auditlog.SignedAnchor) with the province's credentials as HTTP Basic
// auth, whatever the client's style. An error means the anchor was not
// read (the portal unreachable, an HTTP error, an unreadable answer, the
// credentials refused): send it again later. Otherwise the Answer says
// whether it was kept (Accepted) or refused ("-1": refused again if sent
// again).
func (c *Client) PostAnchor(ctx context.Context, anchor []byte) (Answer, error) {
	var r dvcqg.Reply
	err := c.postAuth(ctx, AnchorPath, json.RawMessage(anchor), &r, true)
	return answerOf(r), err
}
