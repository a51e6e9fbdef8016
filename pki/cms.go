package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	_ "crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/smallstep/pkcs7"
)

// oidSigningCertificateV2 is id-aa-signingCertificateV2 (RFC 5035).
var oidSigningCertificateV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}

// ESS structures of RFC 5035. The hash algorithm of ESSCertIDv2 is left out:
// it defaults to SHA-256, and DER omits defaults.
type essCertIDv2 struct {
	CertHash     []byte
	IssuerSerial issuerSerial
}

type issuerSerial struct {
	Issuer []asn1.RawValue // GeneralNames: one directoryName [4]
	Serial *big.Int
}

type signingCertificateV2 struct {
	Certs []essCertIDv2
}

func signingCertV2(c *x509.Certificate) ([]byte, error) {
	sum := sha256.Sum256(c.Raw)
	v := signingCertificateV2{Certs: []essCertIDv2{{
		CertHash: sum[:],
		IssuerSerial: issuerSerial{
			Issuer: []asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: c.RawIssuer}},
			Serial: c.SerialNumber,
		},
	}}}
	return asn1.Marshal(v)
}

// checkSigningCertV2 reports whether a signing-certificate-v2 value names
// cert by its hash (SHA-256 by default, or an explicit SHA-2 algorithm).
func checkSigningCertV2(der []byte, cert *x509.Certificate) bool {
	var v struct{ Certs []asn1.RawValue }
	if rest, err := asn1.Unmarshal(der, &v); err != nil || len(rest) > 0 || len(v.Certs) == 0 {
		return false
	}
	var field asn1.RawValue
	rest, err := asn1.Unmarshal(v.Certs[0].Bytes, &field)
	if err != nil {
		return false
	}
	hash := crypto.SHA256
	if field.Tag == asn1.TagSequence { // an explicit hashAlgorithm
		var alg pkix.AlgorithmIdentifier
		if _, err := asn1.Unmarshal(field.FullBytes, &alg); err != nil {
			return false
		}
		switch {
		case alg.Algorithm.Equal(pkcs7.OIDDigestAlgorithmSHA256):
		case alg.Algorithm.Equal(pkcs7.OIDDigestAlgorithmSHA384):
			hash = crypto.SHA384
		case alg.Algorithm.Equal(pkcs7.OIDDigestAlgorithmSHA512):
			hash = crypto.SHA512
		default:
			return false
		}
		if _, err := asn1.Unmarshal(rest, &field); err != nil {
			return false
		}
	}
	if field.Tag != asn1.TagOctetString || field.Class != asn1.ClassUniversal {
		return false
	}
	h := hash.New()
	h.Write(cert.Raw)
	return subtle.ConstantTimeCompare(h.Sum(nil), field.Bytes) == 1
}

// signCMS returns a detached CMS SignedData over the content whose SHA-256
// is digest, for PAdES B-B: signed attributes content-type, message-digest
// and signing-certificate-v2 only (PAdES puts the claimed time in the
// signature dictionary's /M, never in a signing-time attribute); the
// signer's certificate and its chain included.
//
// smallstep/pkcs7 builds the structure. Three things it would do are left
// out, for they cost more than the rest: it would copy and hash the
// content (the caller hashes it where it lies, and the message digest is
// set here), verify the chain at every signature (done once per signer,
// signerProfileOf) and sign attributes that hold a signing-time (it is
// given a signer that does not sign: the attributes are signed here, once,
// without it).
func signCMS(digest []byte, s Signer) ([]byte, error) {
	return buildCMS(digest, s, func(attrs []byte) ([]byte, error) {
		sum := sha256.Sum256(attrs)
		sig, err := s.Key.Sign(rand.Reader, sum[:], crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("pki: CMS: sign: %w", err)
		}
		return sig, nil
	})
}

// buildCMS is signCMS with the signed attributes (DER) signed by sign.
func buildCMS(digest []byte, s Signer, sign func(attrs []byte) ([]byte, error)) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(nil)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	scv2, err := signingCertV2(s.Cert)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	cfg := pkcs7.SignerInfoConfig{ExtraSignedAttributes: []pkcs7.Attribute{{Type: oidSigningCertificateV2, Value: asn1.RawValue{FullBytes: scv2}}}}
	// Without parents the library names the certificate's issuer as it is
	// written in the certificate, which is the parent's subject, and checks
	// no chain; the chain is added after.
	if err := sd.AddSignerChain(s.Cert, unsigned{s.Key}, nil, cfg); err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	for _, c := range s.Chain {
		sd.AddCertificate(c)
	}
	infos := sd.GetSignedData().SignerInfos
	if len(infos) != 1 {
		return nil, errors.New("pki: CMS: expected one signer")
	}
	si := &infos[0]
	// Take out signing-time and set the message digest; the others keep
	// their order, already DER-sorted (the digest's length is fixed, so the
	// order does not change).
	mdValue, err := asn1.Marshal(digest)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	kept := si.AuthenticatedAttributes[:0:0]
	for _, a := range si.AuthenticatedAttributes {
		switch {
		case a.Type.Equal(pkcs7.OIDAttributeSigningTime):
			continue
		case a.Type.Equal(pkcs7.OIDAttributeMessageDigest):
			a.Value.Bytes, a.Value.FullBytes = mdValue, nil
		}
		kept = append(kept, a)
	}
	si.AuthenticatedAttributes = kept
	attrs, err := marshalSet(kept)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	if si.EncryptedDigest, err = sign(attrs); err != nil {
		return nil, err
	}
	sd.Detach()
	der, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	return der, nil
}

// unsigned is a crypto.Signer with the public key of a signer that makes
// no signature: what smallstep/pkcs7 signs is thrown away (see signCMS).
type unsigned struct{ key crypto.Signer }

func (u unsigned) Public() crypto.PublicKey { return u.key.Public() }

func (unsigned) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) { return nil, nil }

// signerProfile is what signing with one certificate and chain needs, found
// once per process: that the chain holds, and the size of the CMS.
type signerProfile struct {
	cmsMax int // bytes: the largest CMS signature this signer makes
}

// signerProfiles caches the profile of each signer, by the SHA-256 of its
// certificates: one per agency.
var signerProfiles sync.Map

func signerProfileOf(s Signer) (*signerProfile, error) {
	h := sha256.New()
	for _, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(c.Raw)))
		h.Write(n[:])
		h.Write(c.Raw)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if p, ok := signerProfiles.Load(key); ok {
		return p.(*signerProfile), nil
	}
	// Each certificate of the chain issued by the next, as smallstep/pkcs7
	// checks it.
	c := s.Cert
	for _, parent := range s.Chain {
		if err := c.CheckSignatureFrom(parent); err != nil {
			return nil, fmt.Errorf("pki: CMS: certificate signature from parent is invalid: %w", err)
		}
		c = parent
	}
	// The CMS with the longest signature the key can make: all else in it
	// has a fixed size.
	maxSig, err := maxSignatureLen(s.Key.Public())
	if err != nil {
		return nil, err
	}
	der, err := buildCMS(make([]byte, sha256.Size), s, func([]byte) ([]byte, error) { return make([]byte, maxSig), nil })
	if err != nil {
		return nil, err
	}
	p, _ := signerProfiles.LoadOrStore(key, &signerProfile{cmsMax: len(der)})
	return p.(*signerProfile), nil
}

// maxSignatureLen is the longest signature of SHA-256 digests that a key
// makes: ECDSA's DER sequence of two integers of the curve's size, each
// with a sign byte; RSA's the modulus.
func maxSignatureLen(pub crypto.PublicKey) (int, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		n := (k.Curve.Params().BitSize+7)/8 + 1 // an integer, with a leading zero
		integer := 1 + derLenLen(n) + n
		return 1 + derLenLen(2*integer) + 2*integer, nil
	case *rsa.PublicKey:
		return k.Size(), nil
	}
	return 0, fmt.Errorf("pki: CMS: %w: key of type %T", ErrUnsupported, pub)
}

// derLenLen is the size of a DER length field for n bytes.
func derLenLen(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n < 0x100:
		return 2
	}
	return 3
}

// marshalSet DER-encodes a SET OF (the form signed attributes are signed in,
// RFC 5652 §5.4) from the library's attribute values.
func marshalSet[T any](elems []T) ([]byte, error) {
	b, err := asn1.Marshal(struct {
		A []T `asn1:"set"`
	}{elems})
	if err != nil {
		return nil, err
	}
	var outer asn1.RawValue
	if _, err := asn1.Unmarshal(b, &outer); err != nil {
		return nil, err
	}
	return outer.Bytes, nil
}
