"""Language models: the provider interface, the offline narrator, and what they are asked."""
