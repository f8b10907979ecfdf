region    = "eu-west-1"
retention = 3
tier      = "non-essential"
