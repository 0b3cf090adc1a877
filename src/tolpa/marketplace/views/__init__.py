"""Tender pages: public listing and detail, the brand's and the freelancer's deal pages, the
operator's dispute desk. Reads go through selectors, writes through services in a
transaction; a service error lands on its form or in a message."""
