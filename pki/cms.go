package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	_ "crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

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

// signCMS returns a detached CMS SignedData over data for PAdES B-B:
// SHA-256; signed attributes content-type, message-digest and
// signing-certificate-v2 only (PAdES puts the claimed time in the signature
// dictionary's /M, never in a signing-time attribute); the signer's
// certificate and its chain included.
func signCMS(data []byte, s Signer) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(data)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	scv2, err := signingCertV2(s.Cert)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	cfg := pkcs7.SignerInfoConfig{ExtraSignedAttributes: []pkcs7.Attribute{{Type: oidSigningCertificateV2, Value: asn1.RawValue{FullBytes: scv2}}}}
	if err := sd.AddSignerChain(s.Cert, s.Key, s.Chain, cfg); err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	// The library always adds signing-time: take it out and sign the
	// remaining attributes again (their order, already DER-sorted, is kept).
	infos := sd.GetSignedData().SignerInfos
	if len(infos) != 1 {
		return nil, errors.New("pki: CMS: expected one signer")
	}
	si := &infos[0]
	kept := si.AuthenticatedAttributes[:0:0]
	for _, a := range si.AuthenticatedAttributes {
		if !a.Type.Equal(pkcs7.OIDAttributeSigningTime) {
			kept = append(kept, a)
		}
	}
	si.AuthenticatedAttributes = kept
	attrs, err := marshalSet(kept)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	digest := sha256.Sum256(attrs)
	if si.EncryptedDigest, err = s.Key.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
		return nil, fmt.Errorf("pki: CMS: sign: %w", err)
	}
	sd.Detach()
	der, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	return der, nil
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
