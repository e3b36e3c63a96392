/** The Lanterna dashboard. The only package that depends on Lanterna. */
package dev.modeldepot.tui;
