"""Tenders (and, in `shop`, the content exchange): offers, escrowed milestones, reviews."""
