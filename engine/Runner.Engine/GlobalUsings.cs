global using TaskStatus = Runner.Engine.Results.TaskStatus;
