package oidcrp

import "context"

// VerifyIDToken is verify for the tests: an ID token as if the token
// endpoint had returned it.
func (p *Provider) VerifyIDToken(ctx context.Context, raw, nonce string) error {
	_, v, err := p.discover(ctx)
	if err != nil {
		return err
	}
	_, err = p.verify(ctx, v, raw, nonce)
	return err
}
