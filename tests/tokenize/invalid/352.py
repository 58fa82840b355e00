# vim:fileencoding=bogus
