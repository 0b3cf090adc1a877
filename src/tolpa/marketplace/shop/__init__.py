"""The content exchange: ready texts for sale, uniqueness checks, purchases with a recorded
transfer of rights, and brands' orders for texts paid from escrow."""
