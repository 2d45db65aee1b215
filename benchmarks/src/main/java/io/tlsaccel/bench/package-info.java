/** JMH benchmarks of the tlsaccel cipher paths. */
package io.tlsaccel.bench;
