/**
 * Stateless session tickets (RFC 5077, RFC 8446 4.6.1): the keys that seal them, their
 * rotation, and the key file a fleet shares so that any server resumes any client.
 */
package io.tlsaccel.tls.ticket;
