// Package oidcdemo is an OpenID provider that runs in process and plays
// VNeID / the national public service portal (DVCQG) single sign-on, for
// tests and for "motcua serve --demo": a newcomer clicks through the whole
// sign-on on one machine. NEVER IN PRODUCTION: anyone can sign in as
// anyone by pressing a button.
//
// It is github.com/zitadel/oidc's op package over an in-memory storage of
// our own. It offers the authorization code flow only: PKCE S256 (required
// for public clients, accepted for confidential ones), state, nonce,
// acr_values (the acr claim is "LoA"+level of the identity chosen, which
// may be lower than asked: the relying party must check), client_secret_basic
// and client_secret_post, RS256 ID tokens with aud = the client's ID,
// single-use codes (a replay is refused and revokes the tokens the code
// gave), userinfo, and RP-initiated logout to a registered
// post_logout_redirect_uri. The portal's claims (LoaiTaiKhoan, SoDinhDanh,
// MaSoThue, TenDoanhNghiep, HoVaTen, ThuDienTu, SoDienThoai,
// NgayThangNamSinh, TechID, loAs, IAL) are in the ID token and the
// userinfo answer alike.
//
// Config.Clock governs what the provider stores: the auth requests (30
// minutes), codes (5 minutes), access tokens (10 minutes), and the iat/exp
// of IDTokenClaims. The iat and exp of the ID tokens the flow issues are
// stamped by the library with the wall clock (10 minutes' validity): to see
// one expire, move the relying party's verifier clock instead.
//
// In a test, Start gives a provider on an httptest server; SignIn goes
// through the login without a browser; IDTokenClaims, SignIDToken and
// ForgeIDToken make the tokens of the negative tests. See docs/sso-demo.md.
package oidcdemo
